// API keys (admin only) and `me`, the caller behind the key in use.
import { builder } from './builder.js';
import type { ApiKeyView, CreatedApiKey } from '../services/api-key-service.js';
import { apiKeyResolvers as r } from '../resolvers/api-keys.js';
import { permissionsOf, roles } from '../auth/permissions.js';
import type { Caller } from '../auth/caller.js';
import { ApiKeyNotFoundError, NotFoundError, ValidationError } from '../domain/errors.js';

export const RoleEnum = builder.enumType('Role', { values: roles });

const ApiKeyRef = builder.objectRef<ApiKeyView>('ApiKey').implement({
  fields: (t) => ({
    id: t.exposeInt('id'),
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'First characters of the key, to tell keys apart.' }),
    role: t.field({ type: RoleEnum, resolve: (k) => k.role }),
    cameraId: t.exposeInt('cameraId', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

const CreatedApiKeyRef = builder.objectRef<CreatedApiKey>('CreatedApiKey').implement({
  fields: (t) => ({
    apiKey: t.field({ type: ApiKeyRef, resolve: (c) => c.apiKey }),
    key: t.exposeString('key', { description: 'The key itself. Shown only in this response.' }),
  }),
});

const CallerRef = builder.objectRef<Caller>('Caller').implement({
  fields: (t) => ({
    apiKeyId: t.int({ resolve: (c) => c.apiKeyId }),
    name: t.exposeString('name'),
    role: t.field({ type: RoleEnum, resolve: (c) => c.role }),
    cameraId: t.int({ nullable: true, resolve: (c) => c.cameraId }),
    permissions: t.stringList({ resolve: (c) => permissionsOf(c.role) }),
    checkInByChallenge: t.boolean({
      description:
        'True when this caller checks people in through the head-turn challenge only (LIVENESS_MODE=challenge and a kiosk key): its plain recognize answers but never logs.',
      resolve: (c, _args, ctx) => ctx.services.livenessChallenges.requiredFor(c),
    }),
  }),
});

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    role: t.field({ type: RoleEnum, required: true }),
    cameraId: t.int({ description: 'Kiosk keys: the camera whose results the kiosk may read.' }),
  }),
});

builder.queryFields((t) => ({
  me: t.field({
    type: CallerRef,
    authScopes: { authenticated: true },
    resolve: (_root, _args, ctx) => r.me(ctx),
  }),
  apiKeys: t.field({
    type: [ApiKeyRef],
    authScopes: { permission: 'api-keys:manage' },
    args: { includeRevoked: t.arg.boolean() },
    resolve: (_root, args, ctx) => r.apiKeys(args, ctx),
  }),
}));

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreatedApiKeyRef,
    authScopes: { permission: 'api-keys:manage' },
    errors: { types: [ValidationError, NotFoundError], directResult: true },
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    resolve: (_root, args, ctx) => r.createApiKey(args, ctx),
  }),
  revokeApiKey: t.field({
    type: ApiKeyRef,
    authScopes: { permission: 'api-keys:manage' },
    errors: { types: [ApiKeyNotFoundError], directResult: true },
    args: { id: t.arg.int({ required: true }) },
    resolve: (_root, args, ctx) => r.revokeApiKey(args, ctx),
  }),
}));
