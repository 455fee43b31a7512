// `npm run worker`: a face-engine queue worker process. Reads the engine
// settings, REDIS_URL and REDIS_PREFIX (and a .env file when present), loads
// the models into WORKER_POOL_SIZE worker threads and serves jobs until
// SIGINT/SIGTERM, then finishes the jobs it holds and leaves.
import { existsSync } from 'node:fs';
import { loadEnvFile } from 'node:process';
import { loadWorkerConfigOrExit } from '../../config.js';
import { createLogger } from '../../logger.js';
import { runWorkerProcess } from './worker-process.js';

if (existsSync('.env')) {
  loadEnvFile('.env');
}
const config = loadWorkerConfigOrExit();
const log = createLogger(config);
const running = await runWorkerProcess(config, log).catch((error: unknown) => {
  log.fatal({ err: error }, 'queue worker could not start');
  process.exit(1);
});

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) {
    return;
  }
  stopping = true;
  log.info({ signal }, 'queue worker stopping');
  running.close().then(
    () => process.exit(0),
    (error: unknown) => {
      log.error({ err: error }, 'queue worker stop failed');
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
