// API keys: created (the clear key is returned once, only its HMAC is stored),
// listed (prefix only) and revoked: at once, on every instance (the authenticator
// publishes apiKeyRevoked: caches forget the key, src/auth/revocation.ts closes its streams).
import type { Logger } from 'pino';
import type { ApiKey } from '../generated/prisma/client.js';
import type { Config } from '../config.js';
import type { ApiKeyRepository, ApiKeyView } from '../auth/api-key-repository.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { Caller } from '../auth/caller.js';
import type { Role } from '../auth/permissions.js';
import { displayPrefix, generateApiKey, hashApiKey } from '../auth/api-key-crypto.js';
import type { CameraRepository } from '../cameras/camera-repository.js';
import { ValidationError } from '../domain/errors.js';
import { apiKeyId } from '../domain/ids.js';

// The transports name key rows through this service.
export type { ApiKeyView } from '../auth/api-key-repository.js';

export interface ApiKeyServiceDeps {
  apiKeys: ApiKeyRepository;
  /** A kiosk key's camera must exist. */
  cameras: Pick<CameraRepository, 'find'>;
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
    list: (options) => deps.apiKeys.list({ includeRevoked: options?.includeRevoked === true }),
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
  if (cameraId !== null) {
    // NotFoundError('Camera') when there is none.
    await deps.cameras.find(cameraId);
  }
  const key = generateApiKey();
  const apiKey = await deps.apiKeys.create(caller, {
    name,
    role: input.role,
    cameraId,
    prefix: displayPrefix(key),
    keyHash: hashApiKey(key, deps.config.SECRET_KEY),
  });
  return { apiKey, key };
}

async function revokeApiKey(deps: ApiKeyServiceDeps, caller: Caller | null, id: number): Promise<ApiKeyView> {
  const revoked = await deps.apiKeys.revoke(caller, id, deps.clock());
  // Publishes apiKeyRevoked: every instance forgets the key, and src/auth/revocation.ts closes its streams.
  deps.authenticator.evict(apiKeyId(id));
  return revoked;
}

/** A key that an admin revoked stays revoked even if the environment still names it. */
async function ensureBootstrapAdminKey(deps: ApiKeyServiceDeps, rawKey: string): Promise<void> {
  const keyHash = hashApiKey(rawKey, deps.config.SECRET_KEY);
  const existing = await deps.apiKeys.findByHash(keyHash);
  if (existing !== null) {
    if (existing.revokedAt !== null) {
      deps.log.warn({ apiKeyId: existing.id }, 'ADMIN_API_KEY was revoked; it stays revoked');
    }
    return;
  }
  // False when another instance starting at the same time registered it first.
  if (await deps.apiKeys.createUnlessStored({ name: BOOTSTRAP_KEY_NAME, role: 'admin', cameraId: null, prefix: displayPrefix(rawKey), keyHash })) {
    deps.log.info('ADMIN_API_KEY registered as an admin key');
  }
}
