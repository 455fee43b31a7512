// Entry point: config → app → listen; SIGINT/SIGTERM stop it gracefully.
import { existsSync } from 'node:fs';
import { loadEnvFile } from 'node:process';
import { loadConfigOrExit } from './config.js';
import { buildApp } from './app.js';
import { installProcessGuards } from './process-guards.js';

// A .env file (written by `npm run setup`) fills what the environment lacks.
if (existsSync('.env')) {
  loadEnvFile('.env');
}
const config = loadConfigOrExit();
const app = await buildApp(config);
// A stray rejection (e.g. a Redis publish during a hiccup) is logged, not fatal.
installProcessGuards(app.deps.log);

let shuttingDown = false;
const shutdown = (signal: string): void => {
  if (shuttingDown) {
    return;
  }
  shuttingDown = true;
  app.deps.log.info({ signal }, 'shutting down');
  app.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      app.deps.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));

try {
  await app.start();
} catch (error) {
  app.deps.log.fatal({ err: error }, 'could not start');
  await app.stop();
  process.exit(1);
}
