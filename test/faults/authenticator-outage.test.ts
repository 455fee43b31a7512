// API keys while the database is unreachable (real MariaDB behind a relay the
// test cuts): keys verified before keep working from the cache, a revoked key
// never comes back from it (revoked here, or heard of from another instance
// through the event bus), an unknown key is a DatabaseUnavailableError (503),
// and nobody waits long for a database that does not answer.
import { createPubSub } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { hashApiKey, displayPrefix, generateApiKey } from '../../src/auth/api-key-crypto.js';
import { createAuthenticator, type Authenticator } from '../../src/auth/authenticator.js';
import { DatabaseUnavailableError } from '../../src/db/database-unavailable.js';
import { createPrisma } from '../../src/db/prisma.js';
import { apiKeyId } from '../../src/domain/ids.js';
import type { AppTopics } from '../../src/events/topics.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { CUT_MODES, startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const SECRET = 'authenticator-outage-secret';
let db: TestDatabase;
let proxy: TcpProxy;
let viaProxy: PrismaClient;
let now = Date.parse('2026-01-05T09:00:00Z');
const clock = (): Date => new Date(now);

beforeAll(async () => {
  db = await createTestDatabase();
  proxy = await startTcpProxy();
  viaProxy = createPrisma(proxy.urlFor(db.url), { connectTimeoutMs: 400, queryTimeoutMs: 800, connectionLimit: 4 });
});

afterAll(async () => {
  await viaProxy?.$disconnect();
  await proxy?.close();
  await db?.drop();
});

async function newKey(name: string): Promise<{ id: number; key: string }> {
  const key = generateApiKey();
  const row = await db.prisma.apiKey.create({
    data: { name, role: 'kiosk', prefix: displayPrefix(key), keyHash: hashApiKey(key, SECRET) },
  });
  return { id: row.id, key };
}

async function timed<T>(p: Promise<T>): Promise<{ value?: T; error?: unknown; ms: number }> {
  const started = performance.now();
  try {
    return { value: await p, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

describe.each(CUT_MODES)('authenticator, database cut (%s)', (mode) => {
  let a: Authenticator;
  let b: Authenticator;

  it('serves verified keys from the cache, never a revoked one, and 503s the unknown', async () => {
    const log = pino({ level: 'silent' });
    // Two instances sharing an event bus (in memory here; Redis in production).
    const pubsub = createPubSub<AppTopics>();
    a = createAuthenticator({ prisma: viaProxy, secretKey: SECRET, clock, log, pubsub });
    b = createAuthenticator({ prisma: viaProxy, secretKey: SECRET, clock, log, pubsub });
    const used = await newKey('used before');
    const revoked = await newKey('revoked before');
    const revokedElsewhere = await newKey('revoked on the other instance');
    const neverSeen = await newKey('never used');
    for (const k of [used, revoked, revokedElsewhere]) {
      expect((await a.authenticate(k.key))?.apiKeyId).toBe(k.id);
    }
    expect((await b.authenticate(revokedElsewhere.key))?.apiKeyId).toBe(revokedElsewhere.id);
    await db.prisma.apiKey.update({ where: { id: revoked.id }, data: { revokedAt: clock() } });
    a.evict(apiKeyId(revoked.id));

    now += 3_600_000; // every cached lookup is long past fresh
    await proxy.cut(mode);
    try {
      const first = await timed(a.authenticate(used.key));
      expect(first.value?.apiKeyId).toBe(used.id);
      expect(first.ms).toBeLessThan(2_500);
      // Once the database is known to be down, nobody waits for it.
      const second = await timed(a.authenticate(used.key));
      expect(second.value?.apiKeyId).toBe(used.id);
      expect(second.ms).toBeLessThan(50);
      expect((await timed(a.authenticate(revoked.key))).value).toBeNull();
      const unknown = await timed(a.authenticate(neverSeen.key));
      expect(unknown.error).toBeInstanceOf(DatabaseUnavailableError);
      expect(unknown.ms).toBeLessThan(2_500);
      // Revoked on A (its database write happened before the outage): B hears it and drops it.
      expect((await b.authenticate(revokedElsewhere.key))?.apiKeyId).toBe(revokedElsewhere.id);
      a.evict(apiKeyId(revokedElsewhere.id));
      await new Promise((r) => setTimeout(r, 20));
      expect(await b.authenticate(revokedElsewhere.key)).toBeNull();
    } finally {
      await proxy.restore();
    }
    // Back: the unknown key is checked for real now.
    await expect.poll(() => a.authenticate(neverSeen.key).then((c) => c?.apiKeyId, () => 'down'), { timeout: 10_000 }).toBe(neverSeen.id);
    a.close();
    b.close();
  });
});
