import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { Logger } from './logger.ts';

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

/** `publisher` is the shared command connection; subscribing needs its own connection, made here. */
export function createRedisPubSub(publisher: Redis, logger: Logger, prefix = ''): PubSub {
  const subscriber = publisher.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, connectionName: 'pubsub' });
  subscriber.on('error', (error: Error) => logger.debug({ err: error.message }, 'pubsub subscriber error'));
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
  return {
    async publish(channel, message) {
      await publisher.publish(prefix + channel, JSON.stringify(message));
    },
    async subscribe(channel, handler) {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await subscriber.subscribe(prefix + channel);
      }
      set.add(handler);
      return async () => {
        const current = handlers.get(channel);
        current?.delete(handler);
        if (current && current.size === 0) {
          handlers.delete(channel);
          await subscriber.unsubscribe(prefix + channel);
        }
      };
    },
    async close() {
      handlers.clear();
      subscriber.disconnect();
      await Promise.resolve();
    },
  };
}
