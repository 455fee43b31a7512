// The configuration every test server starts from: NODE_ENV=test, loopback on a
// free port, quiet logs (TEST_LOG_LEVEL to see them), fresh secrets. `env` adds
// to it or overrides it (DATABASE_URL, DATA_DIR, ADMIN_API_KEY...).
import { randomBytes } from 'node:crypto';
import { parseConfig, type Config } from '../../src/config.js';

export function testConfig(env: Record<string, string>): Config {
  const parsed = parseConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SECRET_KEY: randomBytes(24).toString('hex'),
    TEMPLATE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    ...env,
  });
  if (!parsed.ok) {
    throw new Error(`test config invalid: ${parsed.problems.join('; ')}`);
  }
  return parsed.config;
}

/** A second instance's config: the same settings as `config` (secrets, database, DATA_DIR) with `env` on top. */
export function siblingConfig(config: Config, env: Record<string, string> = {}): Config {
  const values = Object.fromEntries(Object.entries(config).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])));
  return testConfig({ ...values, ...env });
}
