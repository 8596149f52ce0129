import { systemClock, type Clock } from '../../../platform/clock.ts';
import type { Logger } from '../../../platform/logger.ts';
import type { PubSub } from '../../../platform/pubsub.ts';
import type { InboxRepository } from '../inbox.repository.ts';
import { inboxChannel, type InboxLiveEvent } from '../inbox.schemas.ts';
import { publishBestEffort, toInboxItem } from '../inbox.service.ts';
import { messageLink } from './push.ts';
import { PermanentFailure, type ChannelProvider, type OutgoingMessage, type SendResult } from './types.ts';

export interface InAppOptions {
  pubsub: PubSub;
  inbox: InboxRepository;
  logger: Logger;
  clock?: Clock;
}

/**
 * The in-app inbox. The message row is the inbox entry, so "sending" it means it
 * is delivered; the provider publishes it on `inbox:<userId>` (in process, or to
 * every API instance through Redis), where the recipient's open streams pick it up
 * live, with the new unread count. A failed publish does not fail the message:
 * the inbox shows it at the next load.
 */
export class InAppProvider implements ChannelProvider {
  readonly channel = 'inapp' as const;
  readonly description = 'in-app inbox';
  private readonly clock: Clock;

  constructor(private readonly options: InAppOptions) {
    this.clock = options.clock ?? systemClock;
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const userId = message.recipientUserId;
    if (!userId) throw new PermanentFailure('in-app message without a recipient account', true);
    // The row is in the inbox from the claim on (status sending), so the count includes it.
    const unread = await this.options.inbox.unreadCount(userId);
    const event: InboxLiveEvent = {
      type: 'message',
      unread,
      message: toInboxItem({
        id: message.id,
        kind: message.kind,
        templateCode: typeof message.data.templateCode === 'string' ? message.data.templateCode : null,
        title: message.subject,
        body: message.text,
        data: { link: messageLink(message) },
        at: this.clock.now(),
        readAt: null,
      }),
    };
    const published = await publishBestEffort(this.options.pubsub, inboxChannel(userId), event, this.options.logger);
    return { providerId: null, status: 'delivered', detail: published ? 'in inbox, published live' : 'in inbox (live publish failed)' };
  }
}
