// API keys: created (the clear key is returned once, only its HMAC is stored),
// listed (prefix only) and revoked: at once, on every instance (the authenticator
// publishes apiKeyRevoked: caches forget the key, src/auth/revocation.ts closes its streams).
import type { Logger } from 'pino';
import type { ApiKey, PrismaClient } from '../generated/prisma/client.js';
import type { Config } from '../config.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { Caller } from '../auth/caller.js';
import type { Role } from '../auth/permissions.js';
import { displayPrefix, generateApiKey, hashApiKey } from '../auth/api-key-crypto.js';
import { ApiKeyNotFoundError, NotFoundError, ValidationError } from '../domain/errors.js';
import { apiKeyId } from '../domain/ids.js';
import { writeAudit } from '../audit/audit-repository.js';
import { isUniqueViolation } from '../db/prisma-errors.js';

export interface ApiKeyServiceDeps {
  prisma: PrismaClient;
  config: Pick<Config, 'SECRET_KEY'>;
  authenticator: Pick<Authenticator, 'evict'>;
  clock: () => Date;
  log: Logger;
}

export interface CreateApiKeyInput {
  name: string;
  role: Role;
  /** Binds a kiosk to one camera: it then reads only that camera's results. */
  cameraId?: number | null;
}

export interface CreatedApiKey {
  apiKey: ApiKey;
  /** The clear key. Shown once; it cannot be recovered later. */
  key: string;
}

/** Key rows without the hash, for listings. */
export type ApiKeyView = Omit<ApiKey, 'keyHash'>;

export const BOOTSTRAP_KEY_NAME = 'bootstrap admin (ADMIN_API_KEY)';

export interface ApiKeyService {
  create(caller: Caller | null, input: CreateApiKeyInput): Promise<CreatedApiKey>;
  list(options?: { includeRevoked?: boolean | null }): Promise<ApiKeyView[]>;
  revoke(caller: Caller | null, id: number): Promise<ApiKeyView>;
  /** Makes ADMIN_API_KEY usable on a fresh install (a revoked one stays revoked). */
  ensureBootstrapAdminKey(rawKey: string): Promise<void>;
}

export function createApiKeyService(deps: ApiKeyServiceDeps): ApiKeyService {
  return {
    create: (caller, input) => createApiKey(deps, caller, input),
    list: (options) => listApiKeys(deps, options),
    revoke: (caller, id) => revokeApiKey(deps, caller, id),
    ensureBootstrapAdminKey: (rawKey) => ensureBootstrapAdminKey(deps, rawKey),
  };
}

async function createApiKey(
  deps: ApiKeyServiceDeps,
  caller: Caller | null,
  input: CreateApiKeyInput,
): Promise<CreatedApiKey> {
  const name = input.name.trim();
  if (name === '' || name.length > 128) {
    throw new ValidationError([{ path: ['name'], message: 'must be 1 to 128 characters' }]);
  }
  const cameraId = input.cameraId ?? null;
  if (cameraId !== null && (await deps.prisma.camera.findUnique({ where: { id: cameraId } })) === null) {
    throw new NotFoundError('Camera', cameraId);
  }
  const key = generateApiKey();
  const apiKey = await deps.prisma.$transaction(async (tx) => {
    const row = await tx.apiKey.create({
      data: {
        name,
        role: input.role,
        cameraId,
        prefix: displayPrefix(key),
        keyHash: hashApiKey(key, deps.config.SECRET_KEY),
      },
    });
    await writeAudit(tx, caller, { action: 'api-key.create', entityType: 'api-key', entityId: row.id, after: viewOf(row) });
    return row;
  });
  return { apiKey, key };
}

async function listApiKeys(
  deps: Pick<ApiKeyServiceDeps, 'prisma'>,
  options: { includeRevoked?: boolean | null } = {},
): Promise<ApiKeyView[]> {
  const rows = await deps.prisma.apiKey.findMany({
    where: options.includeRevoked === true ? {} : { revokedAt: null },
    omit: { keyHash: true },
    orderBy: { id: 'asc' },
  });
  return rows;
}

async function revokeApiKey(deps: ApiKeyServiceDeps, caller: Caller | null, id: number): Promise<ApiKeyView> {
  const revoked = await deps.prisma.$transaction(async (tx) => {
    const before = await tx.apiKey.findUnique({ where: { id } });
    if (before === null) {
      throw new ApiKeyNotFoundError(id);
    }
    if (before.revokedAt !== null) {
      return before;
    }
    const after = await tx.apiKey.update({ where: { id }, data: { revokedAt: deps.clock() } });
    await writeAudit(tx, caller, { action: 'api-key.revoke', entityType: 'api-key', entityId: id, before: viewOf(before), after: viewOf(after) });
    return after;
  });
  // Publishes apiKeyRevoked: every instance forgets the key, and src/auth/revocation.ts closes its streams.
  deps.authenticator.evict(apiKeyId(id));
  return viewOf(revoked);
}

/** A key that an admin revoked stays revoked even if the environment still names it. */
async function ensureBootstrapAdminKey(deps: ApiKeyServiceDeps, rawKey: string): Promise<void> {
  const keyHash = hashApiKey(rawKey, deps.config.SECRET_KEY);
  const existing = await deps.prisma.apiKey.findUnique({ where: { keyHash } });
  if (existing !== null) {
    if (existing.revokedAt !== null) {
      deps.log.warn({ apiKeyId: existing.id }, 'ADMIN_API_KEY was revoked; it stays revoked');
    }
    return;
  }
  try {
    await deps.prisma.apiKey.create({
      data: { name: BOOTSTRAP_KEY_NAME, role: 'admin', prefix: displayPrefix(rawKey), keyHash },
    });
    deps.log.info('ADMIN_API_KEY registered as an admin key');
  } catch (error) {
    // Another instance starting at the same time registered it first.
    if (!isUniqueViolation(error)) {
      throw error;
    }
  }
}

function viewOf(row: ApiKey): ApiKeyView {
  const { keyHash: _hash, ...view } = row;
  return view;
}
