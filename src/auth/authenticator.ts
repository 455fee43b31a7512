// Resolves a raw API key to a Caller. Lookups are cached briefly because every
// request (and every camera frame) authenticates; revoking through this
// instance evicts at once, other instances see it within CACHE_TTL_MS.
import type { Logger } from 'pino';
import type { PrismaClient } from '../generated/prisma/client.js';
import { apiKeyId, cameraId } from '../domain/ids.js';
import type { ApiKeyId } from '../domain/ids.js';
import { hashApiKey } from './api-key-crypto.js';
import type { Caller } from './caller.js';

const CACHE_TTL_MS = 30_000;
const CACHE_MAX_ENTRIES = 10_000;
/** lastUsedAt is bookkeeping: write it at most this often per key. */
const LAST_USED_WRITE_INTERVAL_MS = 60_000;

interface CacheEntry {
  caller: Caller | null;
  expiresAt: number;
}

export interface Authenticator {
  authenticate(rawKey: string): Promise<Caller | null>;
  /** Drops cached lookups of one key (after revocation) or of all keys. */
  evict(id?: ApiKeyId): void;
  /** Revocation hook (src/auth/revocation.ts, on every instance): the key is unknown to every cache from now on. */
  forget(id: ApiKeyId): void;
}

export function createAuthenticator(deps: {
  prisma: PrismaClient;
  secretKey: string;
  clock: () => Date;
  log: Logger;
}): Authenticator {
  const cache = new Map<string, CacheEntry>();
  const lastUsedWritten = new Map<number, number>();

  const touch = (id: number, now: number): void => {
    const last = lastUsedWritten.get(id) ?? 0;
    if (now - last < LAST_USED_WRITE_INTERVAL_MS) {
      return;
    }
    lastUsedWritten.set(id, now);
    deps.prisma.apiKey
      .update({ where: { id }, data: { lastUsedAt: new Date(now) } })
      .catch((error: unknown) => deps.log.warn({ err: error, apiKeyId: id }, 'could not record API key use'));
  };

  const evict = (id?: ApiKeyId): void => {
    if (id === undefined) {
      cache.clear();
      return;
    }
    for (const [hash, entry] of cache) {
      if (entry.caller?.apiKeyId === id) {
        cache.delete(hash);
      }
    }
  };

  return {
    async authenticate(rawKey) {
      const hash = hashApiKey(rawKey, deps.secretKey);
      const now = deps.clock().getTime();
      const cached = cache.get(hash);
      if (cached !== undefined && cached.expiresAt > now) {
        if (cached.caller !== null) {
          touch(cached.caller.apiKeyId, now);
        }
        return cached.caller;
      }
      const row = await deps.prisma.apiKey.findUnique({ where: { keyHash: hash } });
      const caller: Caller | null =
        row === null || row.revokedAt !== null
          ? null
          : {
              apiKeyId: apiKeyId(row.id),
              name: row.name,
              role: row.role,
              cameraId: row.cameraId === null ? null : cameraId(row.cameraId),
            };
      if (cache.size >= CACHE_MAX_ENTRIES) {
        cache.clear();
      }
      cache.set(hash, { caller, expiresAt: now + CACHE_TTL_MS });
      if (caller !== null) {
        touch(caller.apiKeyId, now);
      }
      return caller;
    },
    evict,
    forget: (id) => evict(id),
  };
}
