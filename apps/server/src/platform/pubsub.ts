import { EventEmitter } from 'node:events';
import type { Logger } from './logger.ts';
import { isCluster, reconnectDelay, type RedisClient } from './redis.ts';

export type Unsubscribe = () => Promise<void>;

/** Publish / subscribe between the parts of the system: in-process, or across instances through Redis. */
export interface PubSub {
  publish(channel: string, message: unknown): Promise<void>;
  subscribe(channel: string, handler: (message: unknown) => void): Promise<Unsubscribe>;
  close(): Promise<void>;
}

export function createMemoryPubSub(): PubSub {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish(channel, message) {
      // Same delivery semantics as Redis: asynchronous, a copy of the message.
      const copy: unknown = JSON.parse(JSON.stringify(message));
      setImmediate(() => emitter.emit(channel, copy));
      return Promise.resolve();
    },
    subscribe(channel, handler) {
      emitter.on(channel, handler);
      return Promise.resolve(() => {
        emitter.off(channel, handler);
        return Promise.resolve();
      });
    },
    close() {
      emitter.removeAllListeners();
      return Promise.resolve();
    },
  };
}

/** How long a subscribe may wait for Redis before the caller hears it is unavailable (a live stream answers 503). */
const SUBSCRIBE_TIMEOUT_MS = 3000;

/**
 * `publisher` is the shared command connection; subscribing needs its own
 * connection, made here. That connection queues commands while Redis is away
 * and, once it is back, ioredis subscribes again to every channel it had
 * (autoResubscribe), so open live streams keep receiving after an outage.
 */
export function createRedisPubSub(publisher: RedisClient, logger: Logger, prefix = ''): PubSub {
  const overrides = { enableOfflineQueue: true, lazyConnect: false, autoResubscribe: true };
  const subscriber: RedisClient = isCluster(publisher)
    ? publisher.duplicate([], {
        ...overrides,
        clusterRetryStrategy: reconnectDelay,
        redisOptions: { ...publisher.options.redisOptions, maxRetriesPerRequest: null, connectionName: 'pubsub' },
      })
    : publisher.duplicate({ ...overrides, maxRetriesPerRequest: null, connectionName: 'pubsub' });
  let lost = false;
  subscriber.on('error', (error: Error) => {
    if (!lost) logger.warn({ err: error.message }, 'pubsub connection lost; resubscribing once Redis is back');
    lost = true;
  });
  subscriber.on('ready', () => {
    if (lost) logger.info('pubsub connection restored');
    lost = false;
  });
  const handlers = new Map<string, Set<(message: unknown) => void>>();
  subscriber.on('message', (fullChannel: string, raw: string) => {
    const set = handlers.get(fullChannel.slice(prefix.length));
    if (!set) return;
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    for (const handler of set) handler(message);
  });

  async function drop(channel: string, handler: (message: unknown) => void): Promise<void> {
    const current = handlers.get(channel);
    current?.delete(handler);
    if (current && current.size === 0) {
      handlers.delete(channel);
      await subscriber.unsubscribe(prefix + channel);
    }
  }

  return {
    async publish(channel, message) {
      await publisher.publish(prefix + channel, JSON.stringify(message));
    },
    async subscribe(channel, handler) {
      let set = handlers.get(channel);
      const first = !set;
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
      }
      set.add(handler);
      if (first) {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            subscriber.subscribe(prefix + channel),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error(`Redis did not confirm the subscription within ${SUBSCRIBE_TIMEOUT_MS} ms`)), SUBSCRIBE_TIMEOUT_MS);
            }),
          ]);
        } catch (error) {
          // The queued SUBSCRIBE still runs when Redis is back: the UNSUBSCRIBE queued after it undoes it.
          void drop(channel, handler).catch(() => undefined);
          throw error;
        } finally {
          clearTimeout(timer);
        }
      }
      return () => drop(channel, handler);
    },
    async close() {
      handlers.clear();
      subscriber.disconnect();
      await Promise.resolve();
    },
  };
}
