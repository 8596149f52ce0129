import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors } from '../../platform/http/schemas.ts';
import { TWILIO_STATUS_PATH } from './channels/sms.ts';
import type { SmsWebhookService } from './sms.service.ts';

/** The parameters of a form body in the order they came, repeated names included: what Twilio signs. */
const formEntries = new WeakMap<FastifyRequest, [string, string][]>();

const statusQuery = z.object({ m: z.string().max(64).optional().describe('Our message id, put in the StatusCallback URL when the SMS was sent') });

const statusBody = z
  .looseObject({
    MessageSid: z.string().min(1).max(64),
    MessageStatus: z.string().min(1).max(40).describe('accepted, queued, sending, sent, delivered, undelivered, failed, read, …'),
    AccountSid: z.string().max(64).optional(),
    ErrorCode: z.string().max(20).optional(),
    ErrorMessage: z.string().max(500).optional(),
    To: z.string().max(64).optional(),
    From: z.string().max(64).optional(),
  })
  .describe('Form-encoded, as Twilio posts it; every parameter counts in the signature');

/**
 * Webhooks of the SMS provider. Form-encoded bodies are parsed here only (this plugin's
 * scope), with URLSearchParams: the rest of the API stays JSON-only.
 */
export const smsRoutes =
  (service: SmsWebhookService): FastifyPluginAsyncZod =>
  async (app) => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request, body, done) => {
      const entries = [...new URLSearchParams(body as string)];
      formEntries.set(request, entries);
      done(null, Object.fromEntries(entries));
    });

    app.post(
      TWILIO_STATUS_PATH,
      {
        schema: {
          tags: ['webhooks'],
          summary: "Twilio's delivery-status callback for an SMS (signed with X-Twilio-Signature; no session)",
          description:
            'Twilio calls the StatusCallback URL given when the SMS was sent. The X-Twilio-Signature header (HMAC-SHA1 of the public URL and the sorted ' +
            'parameters with the auth token) must match, otherwise 403. MessageStatus delivered (or read) marks the message delivered; undelivered and failed ' +
            'mark it failed with the ErrorCode in its history; other statuses are acknowledged and ignored.',
          consumes: ['application/x-www-form-urlencoded'],
          headers: z.looseObject({ 'x-twilio-signature': z.string().optional() }),
          querystring: statusQuery,
          body: statusBody,
          response: { 204: z.null().describe('Acknowledged'), ...errors(400, 403) },
        },
      },
      async (request, reply) => {
        service.verify(request.url, formEntries.get(request) ?? [], request.headers['x-twilio-signature']);
        await service.status(request.query.m, request.body as Record<string, string>);
        return reply.status(204).send(null);
      },
    );
  };
