// The ApiKey table: keys are stored as an HMAC of the key (never the key) with
// a display prefix; created and revoked with their audit row in one
// transaction. Listings and audit rows never carry the hash.
import type { ApiKey, PrismaClient } from '../generated/prisma/client.js';
import type { Caller } from './caller.js';
import type { Role } from './permissions.js';
import { writeAudit } from '../audit/audit-repository.js';
import { isUniqueViolation } from '../db/prisma-errors.js';
import { ApiKeyNotFoundError } from '../domain/errors.js';

/** Key rows without the hash, for listings. */
export type ApiKeyView = Omit<ApiKey, 'keyHash'>;

export interface NewApiKey {
  name: string;
  role: Role;
  cameraId: number | null;
  /** What listings show of the key. */
  prefix: string;
  keyHash: string;
}

export interface ApiKeyRepository {
  create(caller: Caller | null, data: NewApiKey): Promise<ApiKey>;
  /** By id; revoked keys only when asked. */
  list(options: { includeRevoked: boolean }): Promise<ApiKeyView[]>;
  /** Sets revokedAt (a revoked key is returned as it is); ApiKeyNotFoundError when there is no such key. */
  revoke(caller: Caller | null, id: number, at: Date): Promise<ApiKeyView>;
  findByHash(keyHash: string): Promise<ApiKey | null>;
  /** Stores a key without an audit row (the bootstrap key); false when that hash is stored already. */
  createUnlessStored(data: NewApiKey): Promise<boolean>;
}

export function createApiKeyRepository(prisma: PrismaClient): ApiKeyRepository {
  return {
    create: (caller, data) =>
      prisma.$transaction(async (tx) => {
        const row = await tx.apiKey.create({ data });
        await writeAudit(tx, caller, { action: 'api-key.create', entityType: 'api-key', entityId: row.id, after: viewOf(row) });
        return row;
      }),

    list: ({ includeRevoked }) =>
      prisma.apiKey.findMany({
        where: includeRevoked ? {} : { revokedAt: null },
        omit: { keyHash: true },
        orderBy: { id: 'asc' },
      }),

    async revoke(caller, id, at) {
      const revoked = await prisma.$transaction(async (tx) => {
        const before = await tx.apiKey.findUnique({ where: { id } });
        if (before === null) {
          throw new ApiKeyNotFoundError(id);
        }
        if (before.revokedAt !== null) {
          return before;
        }
        const after = await tx.apiKey.update({ where: { id }, data: { revokedAt: at } });
        await writeAudit(tx, caller, { action: 'api-key.revoke', entityType: 'api-key', entityId: id, before: viewOf(before), after: viewOf(after) });
        return after;
      });
      return viewOf(revoked);
    },

    findByHash: (keyHash) => prisma.apiKey.findUnique({ where: { keyHash } }),

    async createUnlessStored(data) {
      try {
        await prisma.apiKey.create({ data });
        return true;
      } catch (error) {
        if (!isUniqueViolation(error)) {
          throw error;
        }
        return false;
      }
    },
  };
}

function viewOf(row: ApiKey): ApiKeyView {
  const { keyHash: _hash, ...view } = row;
  return view;
}
