// The real server reaching the real MariaDB through a relay the test controls
// (test/helpers/tcp-proxy.ts), with short database timeouts so even a relay
// that never answers costs a request about a second. The app builds its own
// Prisma client from DATABASE_URL (the relay), as in production; the test
// reads the database directly. A clock offset lets a test age the auth cache.
// Every HTTP answer is recorded, so a test can say "no 500, ever".
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp, type App } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { testConfig } from '../helpers/test-config.js';
import { restRequest, type RestOptions, type RestResponse } from '../helpers/rest-client.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

export interface Answer {
  method: string;
  route: string;
  status: number;
  ms: number;
}

export interface OutageServer {
  db: TestDatabase;
  relay: TcpProxy;
  config: Config;
  adminKey: string;
  readonly app: App;
  readonly url: string;
  /** Every HTTP answer so far. */
  answers: Answer[];
  /** Moves the app's clock (auth cache age, attendance times) forward. */
  advanceClock(ms: number): void;
  rest<T = unknown>(method: string, route: string, options?: RestOptions): Promise<RestResponse<T>>;
  /** Stops the app (the outbox keeps what is queued), runs `between`, starts a new one on the same DATA_DIR. */
  restart(between?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

/** Short bounds: the never-answering relay must not make the test wait long. */
const DB_TIMEOUTS = { DB_CONNECT_TIMEOUT_MS: '500', DB_QUERY_TIMEOUT_MS: '1000' };

export async function startOutageServer(env: Record<string, string> = {}): Promise<OutageServer> {
  const db = await createTestDatabase();
  const relay = await startTcpProxy();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'fa-faults-'));
  const adminKey = `test-admin-${randomBytes(16).toString('hex')}`;
  const config = testConfig({ DATABASE_URL: relay.urlFor(db.url), ADMIN_API_KEY: adminKey, DATA_DIR: dataDir, ...DB_TIMEOUTS, ...env });
  let offset = 0;
  const clock = (): Date => new Date(Date.now() + offset);
  const boot = async (): Promise<{ app: App; url: string }> => {
    const app = await buildApp(config, { clock });
    return { app, url: (await app.start()).url };
  };
  let current = await boot();
  const answers: Answer[] = [];

  return {
    db,
    relay,
    config,
    adminKey,
    answers,
    get app() {
      return current.app;
    },
    get url() {
      return current.url;
    },
    advanceClock(ms) {
      offset += ms;
    },
    async rest<T>(method: string, route: string, options?: RestOptions): Promise<RestResponse<T>> {
      const started = performance.now();
      const res = await restRequest<T>(current.url, method, route, { key: adminKey, ...options });
      answers.push({ method, route, status: res.status, ms: performance.now() - started });
      return res;
    },
    async restart(between) {
      await current.app.stop();
      await between?.();
      current = await boot();
    },
    async stop() {
      await current.app.stop();
      await relay.close();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
