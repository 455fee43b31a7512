// The one place that reads process.env: parsed once with zod at start-up.
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v));

/** 32 bytes as base64/base64url (44/43 chars) or hex (64 chars): an AES-256 key. */
const aesKey = z
  .string()
  .trim()
  .refine((v) => decodeAesKey(v) !== null, 'must be 32 random bytes as base64 or hex (npm run setup writes one)');

/** The 32 key bytes of a TEMPLATE_ENCRYPTION_KEY value, or null when it is not one. */
export function decodeAesKey(text: string): Buffer | null {
  const hex = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : null;
  if (hex) {
    return hex;
  }
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    return null;
  }
  const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === 32 ? bytes : null;
}

export const configSchema = z.object({
  // Production unless told otherwise: no GraphiQL, no stack traces, masked errors.
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().regex(/^mysql:\/\/|^mariadb:\/\//, 'must be a mysql:// or mariadb:// URL'),
  // Bounds on every database call, so a database that hangs never holds a request or a camera frame
  // for long: connecting and getting a pooled connection / a connection silent this long (and a whole
  // transaction) fail, and the request answers 503 (or the attendance event is queued).
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  DB_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(5_000),
  SECRET_KEY: z.string().min(16, 'must be at least 16 characters'),
  ADMIN_API_KEY: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  // Face templates and classifier artifacts are encrypted with it (AES-256-GCM); separate from SECRET_KEY.
  TEMPLATE_ENCRYPTION_KEY: aesKey,
  // Earlier keys, comma-separated: still read (rows not yet re-encrypted), never written with.
  TEMPLATE_ENCRYPTION_PREVIOUS_KEYS: optionalString.pipe(
    z
      .string()
      .transform((v) => v.split(',').map((k) => k.trim()).filter((k) => k !== ''))
      .pipe(z.array(aesKey))
      .optional(),
  ),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(15 * 1024 * 1024),
  CORS_ORIGIN: optionalString,
  // GraphiQL at GET /graphql; unset or empty: on when NODE_ENV=development (parseConfig decides)
  GRAPHIQL: optionalString.pipe(bool.optional()),

  // Face engine
  MODEL_PACK: z.string().default('faceplugin'),
  MODELS_DIR: z.string().default('models'),
  INSIGHTFACE_DIR: optionalString,
  WORKER_POOL_SIZE: z.coerce.number().int().min(1).max(64).default(2),
  // 2: a lone request embeds ~3 ms faster; sessions don't spin, so 2 workers x 2 threads share 2 cores gracefully.
  WORKER_INTRA_OP_THREADS: z.coerce.number().int().min(1).max(64).default(2),
  WORKER_QUEUE_LIMIT: z.coerce.number().int().min(1).default(256),
  WORKER_TASK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  DETECTION_THRESHOLD: z.coerce.number().min(0).max(1).default(0.7),
  MAX_IMAGE_PIXELS: z.coerce.number().int().positive().default(40_000_000),

  // Recognition (names kept from the replaced service)
  RECOGNITION_THRESHOLD: z.coerce.number().min(0).max(1).default(0.45),
  RECOGNITION_MARGIN: z.coerce.number().min(0).max(1).default(0.08),
  AUGMENTATION_COUNT: z.coerce.number().int().min(0).max(50).default(5),
  SVM_KERNEL: z.enum(['rbf', 'linear']).default('rbf'),
  SVM_C: z.coerce.number().positive().default(1),
  SVM_GAMMA: z.union([z.literal('scale'), z.coerce.number().positive()]).default('scale'),
  SVM_MAX_TEMPLATES_PER_EMPLOYEE: z.coerce.number().int().min(1).default(40),
  SVM_BACKEND: z.enum(['smo', 'libsvm', 'ml-svm']).default('smo'),
  // Classifier: the multi-class SVM up to SVM_GLOBAL_MAX_EMPLOYEES, the shortlist machines above
  // (docs/recognition-scaling.md); or one of them always.
  SVM_STRATEGY: z.enum(['auto', 'global', 'shortlist']).default('auto'),
  SVM_GLOBAL_MAX_EMPLOYEES: z.coerce.number().int().min(0).default(60),
  AUTO_RETRAIN: bool.default(true),
  ENROLLMENT_SESSION_TTL_SECONDS: z.coerce.number().int().positive().default(600),
  // Pose coverage needed to complete an enrollment: centre + this many of the 8 ring directions,
  // each seen in at least ENROLLMENT_MIN_FRAMES_PER_SECTOR accepted frames.
  ENROLLMENT_RING_SECTORS: z.coerce.number().int().min(0).max(8).default(6),
  ENROLLMENT_MIN_FRAMES_PER_SECTOR: z.coerce.number().int().min(1).max(20).default(2),

  // Liveness (presentation-attack detection, README "Liveness"): off, passive (fr_liveness.onnx on
  // every face that matters) or challenge (passive + kiosk check-ins through a head-turn challenge).
  LIVENESS_MODE: z.enum(['off', 'passive', 'challenge']).default('passive'),
  // P(live) below this is a spoof. 0.05: every live webcam frame passed, 1 of 174 printed-photo and
  // phone-replay attacks got through (issue 15's evaluation, about 25 people).
  LIVENESS_THRESHOLD: z.coerce.number().min(0).max(1).default(0.05),

  // Attendance
  TIMEZONE: z.string().default('UTC'),
  ATTENDANCE_DEDUPE_MINUTES: z.coerce.number().min(0).default(5),
  CHECKOUT_ENABLED: bool.default(false),
  CHECKOUT_MIN_MINUTES: z.coerce.number().min(0).default(240),
  SHIFT_START: optionalString.pipe(
    z.string().regex(/^\d{2}:\d{2}$/, 'must be HH:MM').optional(),
  ),
  LATE_GRACE_MINUTES: z.coerce.number().min(0).default(0),
  SNAPSHOTS_ENABLED: bool.default(true),
  SNAPSHOT_RETENTION_DAYS: z.coerce.number().int().min(0).default(30),
  DATA_DIR: z.string().default('data'),
  // Attendance events waiting for the database (durable, DATA_DIR/outbox); a warning at 80%, refused past it.
  OUTBOX_MAX_EVENTS: z.coerce.number().int().min(1).default(20_000),

  // Cameras (names kept from the replaced service)
  CAMERA_SOURCE: optionalString,
  CAMERA_LOOP: bool.default(false),
  CAMERA_WIDTH: z.coerce.number().int().positive().default(640),
  CAMERA_HEIGHT: z.coerce.number().int().positive().default(480),
  CAMERA_FPS: z.coerce.number().positive().default(25),
  PREDICT_INTERVAL: z.coerce.number().int().min(1).default(1),

  // Scale-out (docs/deploy.md)
  REDIS_URL: optionalString,
  // Every Redis key, pub/sub channel and job queue starts with `<prefix>:`, so deployments can share one Redis.
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, _ . - (no colon)')
    .default('face-attendance'),
  // local: face work in this process's worker threads; queue: jobs on Redis (BullMQ) for `npm run worker` processes.
  FACE_ENGINE: z.enum(['local', 'queue']).default('local'),
  // Queue engine: tries per job (a crashed or killed worker's job goes to another), and jobs a worker process takes at once
  // (0 = twice its WORKER_POOL_SIZE, so a thread never waits for the next job).
  ENGINE_QUEUE_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  WORKER_CONCURRENCY: z.coerce.number().int().min(0).max(256).default(0),
  // Camera ownership with Redis: a lease this long, renewed every third of it; a dead owner's cameras move after it.
  CAMERA_LEASE_TTL_MS: z.coerce.number().int().min(1_000).max(60_000).default(5_000),
  // GET /metrics: allowed with `Authorization: Bearer <METRICS_TOKEN>`, or from these networks (CIDR, comma-separated).
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  METRICS_ALLOW: z.string().default('127.0.0.1/32,::1/128'),
  // Queue workers only (`npm run worker`, no HTTP API): serve GET /metrics on this port (on HOST), same access rule; empty: none.
  METRICS_PORT: optionalString.pipe(z.string().regex(/^\d{1,5}$/, 'must be a port number').transform(Number).pipe(z.number().max(65_535)).optional()),

  // Abuse limits (src/http/graphql-armor.ts, src/http/rate-limit.ts)
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(1).default(12),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).default(15),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(50).default(2000),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(1).default(5000),
  GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().min(0).default(20),
  // Operations per batched HTTP request (a JSON array body); 0 refuses batches.
  GRAPHQL_BATCH_LIMIT: z.coerce.number().int().min(0).max(100).default(5),
  // In production: keyed = callers with a valid key may introspect; all; off. Other NODE_ENVs: always on.
  GRAPHQL_INTROSPECTION: z.enum(['keyed', 'all', 'off']).default('keyed'),
  RATE_LIMIT_ENABLED: bool.default(true),
  // Requests per window per API key (REST and GraphQL together); callers without a key count per IP.
  RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(1200),
  RATE_LIMIT_ANONYMOUS_MAX: z.coerce.number().int().min(1).default(120),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  // Faces analysed per recognize frame (the largest-scoring first); the rest are ignored.
  MAX_FACES_PER_FRAME: z.coerce.number().int().min(1).max(100).default(20),
  // How long an Idempotency-Key's answer is kept for retries.
  IDEMPOTENCY_TTL_SECONDS: z.coerce.number().int().min(60).default(86_400),
  // Kiosk-started enrollments are not recognized until an operator approves them.
  ENROLLMENT_APPROVAL: bool.default(true),
  // Folders a camera's video-file source may point into (comma-separated); empty = no file sources
  // through the API. The environment's CAMERA_SOURCE is trusted and not checked.
  CAMERA_MEDIA_DIRS: optionalString.pipe(
    z
      .string()
      .transform((v) => v.split(',').map((d) => d.trim()).filter((d) => d !== ''))
      .optional(),
  ),
});

type ParsedEnv = z.infer<typeof configSchema>;
/** The parsed environment with every default settled. */
export type Config = Omit<ParsedEnv, 'GRAPHIQL'> & { GRAPHIQL: boolean };

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

export function parseConfig(env: Record<string, string | undefined>): ConfigResult {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) {
    const { GRAPHIQL, ...rest } = parsed.data;
    const config: Config = { ...rest, GRAPHIQL: GRAPHIQL ?? rest.NODE_ENV === 'development' };
    const problems = crossFieldProblems(config);
    return problems.length === 0 ? { ok: true, config } : { ok: false, problems };
  }
  return {
    ok: false,
    problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`),
  };
}

/** Settings that are each valid but not together. */
function crossFieldProblems(config: Config): string[] {
  const problems: string[] = [];
  if (config.FACE_ENGINE === 'queue' && config.REDIS_URL === undefined) {
    problems.push('FACE_ENGINE: queue needs REDIS_URL (the jobs go through Redis)');
  }
  for (const network of config.METRICS_ALLOW.split(',').map((n) => n.trim()).filter((n) => n !== '')) {
    if (!/^[0-9a-fA-F.:]+\/\d{1,3}$/.test(network)) {
      problems.push(`METRICS_ALLOW: ${network} is not a CIDR network (e.g. 10.0.0.0/8)`);
    }
  }
  return problems;
}

/** Parses process.env or prints every problem and exits. Only main.ts and scripts call this. */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  const result = parseConfig(env);
  if (!result.ok) {
    process.stderr.write(`Invalid configuration:\n${result.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(1);
  }
  return result.config;
}

/** The face-engine settings alone, for tools (CLI, benchmark) that need no database or secrets. */
export const engineConfigSchema = configSchema.pick({
  MODEL_PACK: true,
  MODELS_DIR: true,
  INSIGHTFACE_DIR: true,
  WORKER_POOL_SIZE: true,
  WORKER_INTRA_OP_THREADS: true,
  WORKER_QUEUE_LIMIT: true,
  WORKER_TASK_TIMEOUT_MS: true,
  DETECTION_THRESHOLD: true,
  MAX_IMAGE_PIXELS: true,
  RECOGNITION_THRESHOLD: true,
  LIVENESS_MODE: true,
});
export type EngineConfig = z.infer<typeof engineConfigSchema>;

export function loadEngineConfigOrExit(env: Record<string, string | undefined> = process.env): EngineConfig {
  const parsed = engineConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(env)'}: ${i.message}`);
    process.stderr.write(`Invalid configuration:\n${problems.join('\n')}\n`);
    process.exit(1);
  }
  return parsed.data;
}

/** What `npm run worker` (a face-engine queue worker, no HTTP, no database) reads. */
export const workerConfigSchema = engineConfigSchema.extend({
  NODE_ENV: configSchema.shape.NODE_ENV,
  LOG_LEVEL: configSchema.shape.LOG_LEVEL,
  REDIS_URL: z.string().min(1, 'a worker needs REDIS_URL (where the jobs are)'),
  REDIS_PREFIX: configSchema.shape.REDIS_PREFIX,
  WORKER_CONCURRENCY: configSchema.shape.WORKER_CONCURRENCY,
  HOST: configSchema.shape.HOST,
  METRICS_PORT: configSchema.shape.METRICS_PORT,
  METRICS_TOKEN: configSchema.shape.METRICS_TOKEN,
  METRICS_ALLOW: configSchema.shape.METRICS_ALLOW,
});
export type WorkerConfig = z.infer<typeof workerConfigSchema>;

export function loadWorkerConfigOrExit(env: Record<string, string | undefined> = process.env): WorkerConfig {
  const parsed = workerConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(env)'}: ${i.message}`);
    process.stderr.write(`Invalid configuration:\n${problems.join('\n')}\n`);
    process.exit(1);
  }
  return parsed.data;
}
