// Revocation is immediate: revoking a key publishes `apiKeyRevoked` on the
// event bus (Redis when configured, so every instance hears it; the
// authenticator forgets the key on each, src/auth/authenticator.ts). This hub
// closes every long-lived connection the key holds on its instance
// (graphql-ws, SSE subscriptions, the old WebSocket stream), each through the
// closer its transport registered with track().
import type { Logger } from 'pino';
import type { AppPubSub } from '../events/event-bus.js';

export interface RevocationHub {
  /** Calls `close` once when the key is revoked (on any instance); returns a function that stops tracking. */
  track(apiKeyId: number, close: () => void): () => void;
  /** Open connections tracked for a key (tests, status). */
  tracked(apiKeyId: number): number;
  stop(): void;
}

export function createRevocationHub(deps: { pubsub: Pick<AppPubSub, 'subscribe'>; log: Logger }): RevocationHub {
  const closers = new Map<number, Set<() => void>>();
  const events = deps.pubsub.subscribe('apiKeyRevoked')[Symbol.asyncIterator]();
  let stopped = false;

  const revoke = (id: number): void => {
    const set = closers.get(id);
    closers.delete(id);
    for (const close of set ?? []) {
      try {
        close();
      } catch (error) {
        deps.log.warn({ err: error, apiKeyId: id }, 'closing a revoked key connection failed');
      }
    }
    if (set !== undefined && set.size > 0) {
      deps.log.info({ apiKeyId: id, connections: set.size }, 'revoked key: connections closed');
    }
  };

  void (async () => {
    try {
      for (;;) {
        const next = await events.next();
        if (next.done || stopped) {
          break;
        }
        revoke(next.value.apiKeyId);
      }
    } catch (error) {
      if (!stopped) {
        deps.log.error({ err: error }, 'apiKeyRevoked subscription ended');
      }
    }
  })();

  return {
    track(apiKeyId, close) {
      let set = closers.get(apiKeyId);
      if (set === undefined) {
        set = new Set();
        closers.set(apiKeyId, set);
      }
      let once = false;
      const closeOnce = (): void => {
        if (!once) {
          once = true;
          close();
        }
      };
      set.add(closeOnce);
      return () => {
        const current = closers.get(apiKeyId);
        current?.delete(closeOnce);
        if (current?.size === 0) {
          closers.delete(apiKeyId);
        }
      };
    },
    tracked: (apiKeyId) => closers.get(apiKeyId)?.size ?? 0,
    stop() {
      stopped = true;
      void events.return?.();
      closers.clear();
    },
  };
}
