// pino, shared by fastify (request logs carry `reqId`) and every component
// (child loggers with `{ component }`). Secrets never reach the log.
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { Config } from './config.js';

export const redactPaths = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  'connectionParams.authorization',
  'connectionParams.apiKey',
  '*.password',
  'password',
  'SECRET_KEY',
  '*.SECRET_KEY',
  'ADMIN_API_KEY',
  '*.ADMIN_API_KEY',
  'apiKey',
  '*.apiKey',
  'rawKey',
  '*.rawKey',
];

export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'NODE_ENV'>): Logger {
  return pino({
    level: config.LOG_LEVEL,
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: { service: 'face-attendance' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
