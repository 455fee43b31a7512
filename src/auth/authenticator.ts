// Resolves a raw API key to a Caller. Lookups are cached because every request
// (and every camera frame) authenticates.
//
// Fresh for FRESH_MS: served without the database (other instances' revocations
// are seen within that time, or at once through the `apiKeyRevoked` event).
// Past it the database is asked again; if it does not answer, a key verified
// before the outage keeps working from the cache (up to MAX_STALE_MS), and for
// DEGRADED_RETRY_MS after such a failure expired entries are served at once
// while one background lookup per key probes the database. A key not in the
// cache cannot be checked: DatabaseUnavailableError (503).
//
// Revocation wins over the cache: a revoked key (revoked here, heard of through
// the event bus, or read revoked from the database) is remembered as revoked
// and never accepted from the cache again.
import type { Logger } from 'pino';
import type { PrismaClient } from '../generated/prisma/client.js';
import { apiKeyId, cameraId } from '../domain/ids.js';
import type { ApiKeyId } from '../domain/ids.js';
import type { AppPubSub } from '../events/event-bus.js';
import { DatabaseUnavailableError } from '../db/database-unavailable.js';
import { provesInputBad } from '../db/prisma-errors.js';
import { hashApiKey } from './api-key-crypto.js';
import type { Caller } from './caller.js';

const FRESH_MS = 30_000;
/** How long into an outage a key verified before it keeps working. */
const MAX_STALE_MS = 24 * 3_600_000;
const DEGRADED_RETRY_MS = 2_000;
const CACHE_MAX_ENTRIES = 10_000;
/** lastUsedAt is bookkeeping: write it at most this often per key. */
const LAST_USED_WRITE_INTERVAL_MS = 60_000;

type CacheEntry =
  | { kind: 'verified'; caller: Caller; verifiedAt: number }
  | { kind: 'unknown'; verifiedAt: number }
  /** Keys are never un-revoked: never expires. */
  | { kind: 'revoked' };

export interface Authenticator {
  /** The caller, null for an unknown or revoked key; DatabaseUnavailableError when it cannot tell. */
  authenticate(rawKey: string): Promise<Caller | null>;
  /**
   * A key was revoked: never accept it from the cache again, here and (through
   * the event bus) on every instance. Without an id: forget every lookup
   * (revocations stay remembered).
   */
  evict(id?: ApiKeyId): void;
  /** Stops listening for revocations. */
  close(): void;
}

export function createAuthenticator(deps: {
  prisma: PrismaClient;
  secretKey: string;
  clock: () => Date;
  log: Logger;
  /** Revocations made on other instances arrive here; ours are published. */
  pubsub?: Pick<AppPubSub, 'publish' | 'subscribe'>;
}): Authenticator {
  const cache = new Map<string, CacheEntry>();
  const revokedIds = new Set<number>();
  const lastUsedWritten = new Map<number, number>();
  const refreshing = new Set<string>();
  /** Until then the database is taken as down: expired entries are served without waiting for it. */
  let degradedUntil = 0;

  const put = (hash: string, entry: CacheEntry): void => {
    cache.delete(hash);
    if (cache.size >= CACHE_MAX_ENTRIES) {
      // Oldest first (Map keeps insertion order; a refresh re-inserts).
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) {
        cache.delete(oldest);
      }
    }
    cache.set(hash, entry);
  };

  const forget = (id: number): void => {
    revokedIds.add(id);
    lastUsedWritten.delete(id);
    for (const [hash, entry] of cache) {
      if (entry.kind === 'verified' && entry.caller.apiKeyId === id) {
        cache.set(hash, { kind: 'revoked' });
      }
    }
  };

  const touch = (id: number, now: number): void => {
    const last = lastUsedWritten.get(id) ?? 0;
    if (now - last < LAST_USED_WRITE_INTERVAL_MS || now < degradedUntil) {
      return;
    }
    lastUsedWritten.set(id, now);
    deps.prisma.apiKey
      .update({ where: { id }, data: { lastUsedAt: new Date(now) } })
      .catch((error: unknown) => deps.log.warn({ err: error, apiKeyId: id }, 'could not record API key use'));
  };

  const lookup = async (hash: string): Promise<Caller | null> => {
    const row = await deps.prisma.apiKey.findUnique({ where: { keyHash: hash } });
    const now = deps.clock().getTime();
    if (row === null) {
      put(hash, { kind: 'unknown', verifiedAt: now });
      return null;
    }
    // A revocation heard while this lookup ran wins over the row read before it.
    if (row.revokedAt !== null || revokedIds.has(row.id)) {
      put(hash, { kind: 'revoked' });
      return null;
    }
    const caller: Caller = {
      apiKeyId: apiKeyId(row.id),
      name: row.name,
      role: row.role,
      cameraId: row.cameraId === null ? null : cameraId(row.cameraId),
    };
    put(hash, { kind: 'verified', caller, verifiedAt: now });
    return caller;
  };

  const noteDown = (error: unknown, now: number): void => {
    if (now >= degradedUntil) {
      deps.log.warn({ err: error }, 'database unavailable: API keys verified before are served from the cache');
    }
    degradedUntil = now + DEGRADED_RETRY_MS;
  };

  const refreshInBackground = (hash: string): void => {
    if (refreshing.has(hash)) {
      return;
    }
    refreshing.add(hash);
    lookup(hash)
      .then(() => {
        degradedUntil = 0;
      })
      .catch((error: unknown) => noteDown(error, deps.clock().getTime()))
      .finally(() => refreshing.delete(hash));
  };

  /** What an expired entry still proves while the database cannot be asked. */
  const fromStale = (entry: CacheEntry | undefined, now: number): { caller: Caller | null } | undefined => {
    if (entry === undefined || entry.kind === 'revoked' || now - entry.verifiedAt > MAX_STALE_MS) {
      return undefined;
    }
    return { caller: entry.kind === 'verified' ? entry.caller : null };
  };

  // Stopped by close(); a failure of the bus only costs the cross-instance eviction.
  const revocations = deps.pubsub?.subscribe('apiKeyRevoked')[Symbol.asyncIterator]();
  if (revocations !== undefined) {
    void (async () => {
      for (;;) {
        const next = await revocations.next();
        if (next.done === true) {
          return;
        }
        forget(next.value.apiKeyId);
      }
    })().catch((error: unknown) => deps.log.error({ err: error }, 'API key revocation events stopped'));
  }

  return {
    async authenticate(rawKey) {
      const hash = hashApiKey(rawKey, deps.secretKey);
      const now = deps.clock().getTime();
      const entry = cache.get(hash);
      if (entry?.kind === 'revoked') {
        return null;
      }
      if (entry !== undefined && now - entry.verifiedAt < FRESH_MS) {
        if (entry.kind === 'verified') {
          touch(entry.caller.apiKeyId, now);
        }
        return entry.kind === 'verified' ? entry.caller : null;
      }
      const stale = fromStale(entry, now);
      if (stale !== undefined && now < degradedUntil) {
        refreshInBackground(hash);
        return stale.caller;
      }
      try {
        const caller = await lookup(hash);
        degradedUntil = 0;
        if (caller !== null) {
          touch(caller.apiKeyId, now);
        }
        return caller;
      } catch (error) {
        if (provesInputBad(error)) {
          throw error;
        }
        noteDown(error, deps.clock().getTime());
        // The entry may have been revoked while the lookup waited.
        const still = fromStale(cache.get(hash), now);
        if (still !== undefined) {
          return still.caller;
        }
        throw new DatabaseUnavailableError(error);
      }
    },
    evict(id) {
      if (id === undefined) {
        for (const [hash, entry] of cache) {
          if (entry.kind !== 'revoked') {
            cache.delete(hash);
          }
        }
        return;
      }
      forget(id);
      deps.pubsub?.publish('apiKeyRevoked', { apiKeyId: id, at: deps.clock().toISOString() });
    },
    close() {
      void revocations?.return?.();
    },
  };
}
