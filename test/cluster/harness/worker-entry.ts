// A queue worker as a child process for the tests: the environment is its
// configuration; it prints {"ready": <instance id>, "metricsUrl": ...} once it
// takes jobs, and stops gracefully on SIGTERM.
import { loadWorkerConfigOrExit } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { runWorkerProcess } from '../../../src/engine/queue/worker-process.js';

const config = loadWorkerConfigOrExit();
const worker = await runWorkerProcess(config, createLogger(config));
process.stdout.write(`${JSON.stringify({ ready: worker.instanceId, metricsUrl: worker.metricsUrl })}\n`);

process.on('SIGTERM', () => {
  worker.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
