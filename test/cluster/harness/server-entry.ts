// A server as a child process for the multi-instance tests: the environment
// is its whole configuration (no .env), it prints one JSON line
// {"ready": url, "instanceId": ...} once listening, and stops gracefully on
// SIGTERM. SIGKILL is how the tests kill an instance for real.
import { loadConfigOrExit } from '../../../src/config.js';
import { buildApp } from '../../../src/app.js';

const app = await buildApp(loadConfigOrExit());
const { url } = await app.start();
process.stdout.write(`${JSON.stringify({ ready: url, instanceId: app.deps.instanceId })}\n`);

process.on('SIGTERM', () => {
  app.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
