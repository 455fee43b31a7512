// Point-to-point requests and deployment-wide notices between instances, over
// two Redis channels each instance subscribes to once at start:
// `<prefix>:cluster:to:<instanceId>` (requests and replies for it) and
// `<prefix>:cluster:all` (notices). Subscribing once, up front, means a reply
// can never arrive before its listener exists. A request that gets no answer
// within its timeout fails with ClusterTimeoutError (the receiver died or
// Redis is away); the caller decides what that means.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ClusterNotice, ClusterReply, ClusterRequest, Envelope } from './cluster-messages.js';
import type { InstanceId } from './instance-id.js';
import type { RedisNamespace } from './redis-namespace.js';

export class ClusterTimeoutError extends Error {
  override readonly name = 'ClusterTimeoutError';
  constructor(readonly to: InstanceId) {
    super(`instance ${to} did not answer`);
  }
}

export interface ClusterBus {
  request(to: InstanceId, body: ClusterRequest, timeoutMs: number): Promise<ClusterReply>;
  notify(body: ClusterNotice): Promise<void>;
  /** The handler of requests to this instance (one; a later call replaces it). */
  onRequest(handler: (body: ClusterRequest, from: InstanceId) => Promise<ClusterReply>): void;
  /** Notices from every instance, this one included. */
  onNotice(handler: (body: ClusterNotice, from: InstanceId) => void): () => void;
  /** Resolves when both channels are subscribed. */
  ready(): Promise<void>;
  close(): void;
}

export function createClusterBus(options: {
  publisher: Redis;
  subscriber: Redis;
  ns: RedisNamespace;
  instanceId: InstanceId;
  log: Logger;
}): ClusterBus {
  const { publisher, subscriber, ns, instanceId, log } = options;
  const own = ns.key('cluster', 'to', instanceId);
  const all = ns.key('cluster', 'all');
  const waiting = new Map<string, { resolve(reply: ClusterReply): void; timer: NodeJS.Timeout }>();
  const noticeHandlers = new Set<(body: ClusterNotice, from: InstanceId) => void>();
  let requestHandler: ((body: ClusterRequest, from: InstanceId) => Promise<ClusterReply>) | undefined;

  const send = async (channel: string, envelope: Envelope): Promise<void> => {
    await publisher.publish(channel, JSON.stringify(envelope));
  };

  const answer = async (envelope: Extract<Envelope, { type: 'request' }>): Promise<void> => {
    let reply: ClusterReply;
    try {
      reply = requestHandler
        ? await requestHandler(envelope.body, envelope.from)
        : { kind: 'error', status: 503, code: 'UNAVAILABLE', message: 'instance is not ready' };
    } catch (error) {
      const e = error as { status?: unknown; code?: unknown; message?: unknown };
      reply = {
        kind: 'error',
        status: typeof e.status === 'number' ? e.status : 500,
        code: typeof e.code === 'string' ? e.code : 'INTERNAL',
        message: typeof e.message === 'string' ? e.message : String(error),
      };
    }
    await send(ns.key('cluster', 'to', envelope.from), { type: 'reply', id: envelope.id, from: instanceId, body: reply });
  };

  subscriber.on('message', (channel: string, text: string) => {
    if (channel !== own && channel !== all) {
      return;
    }
    let envelope: Envelope;
    try {
      envelope = JSON.parse(text) as Envelope;
    } catch (error) {
      log.warn({ err: error, channel }, 'cluster message is not JSON');
      return;
    }
    switch (envelope.type) {
      case 'request':
        answer(envelope).catch((error: unknown) => log.warn({ err: error }, 'cluster reply not sent'));
        return;
      case 'reply': {
        const entry = waiting.get(envelope.id);
        if (entry) {
          waiting.delete(envelope.id);
          clearTimeout(entry.timer);
          entry.resolve(envelope.body);
        }
        return;
      }
      case 'notice':
        for (const handler of noticeHandlers) {
          handler(envelope.body, envelope.from);
        }
        return;
    }
  });
  const subscribed = subscriber.subscribe(own, all).then(() => undefined);
  subscribed.catch((error: unknown) => log.error({ err: error }, 'cluster channels not subscribed'));

  return {
    async request(to, body, timeoutMs) {
      const id = randomUUID();
      const reply = new Promise<ClusterReply>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new ClusterTimeoutError(to));
        }, timeoutMs);
        waiting.set(id, { resolve, timer });
      });
      await send(ns.key('cluster', 'to', to), { type: 'request', id, from: instanceId, body }).catch(() => undefined);
      return reply;
    },
    notify: (body) => send(all, { type: 'notice', from: instanceId, body }),
    onRequest(handler) {
      requestHandler = handler;
    },
    onNotice(handler) {
      noticeHandlers.add(handler);
      return () => noticeHandlers.delete(handler);
    },
    ready: () => subscribed,
    close() {
      for (const [id, entry] of waiting) {
        clearTimeout(entry.timer);
        waiting.delete(id);
      }
      noticeHandlers.clear();
    },
  };
}
