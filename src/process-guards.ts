// Process-level safety nets for the server process: a promise rejected with
// nobody listening (a Redis publish failing during a hiccup, say) is logged
// and the server keeps serving, instead of Node ending the process.
// Programming errors still surface in the log at error level with their stack.
import type { Logger } from 'pino';

export function installProcessGuards(log: Logger, target: NodeJS.Process = process): () => void {
  const onRejection = (reason: unknown): void => {
    log.error({ err: reason }, 'unhandled promise rejection (the server keeps running)');
  };
  target.on('unhandledRejection', onRejection);
  return () => {
    target.off('unhandledRejection', onRejection);
  };
}
