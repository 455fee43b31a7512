// The one place that reads process.env: parsed once with zod at start-up.
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v));

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().regex(/^mysql:\/\/|^mariadb:\/\//, 'must be a mysql:// or mariadb:// URL'),
  SECRET_KEY: z.string().min(16, 'must be at least 16 characters'),
  ADMIN_API_KEY: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(15 * 1024 * 1024),
  CORS_ORIGIN: optionalString,

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

  // Cameras (names kept from the replaced service)
  CAMERA_SOURCE: optionalString,
  CAMERA_LOOP: bool.default(false),
  CAMERA_WIDTH: z.coerce.number().int().positive().default(640),
  CAMERA_HEIGHT: z.coerce.number().int().positive().default(480),
  CAMERA_FPS: z.coerce.number().positive().default(25),
  PREDICT_INTERVAL: z.coerce.number().int().min(1).default(1),

  // Scale-out
  REDIS_URL: optionalString,
});

export type Config = z.infer<typeof configSchema>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

export function parseConfig(env: Record<string, string | undefined>): ConfigResult {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) {
    return { ok: true, config: parsed.data };
  }
  return {
    ok: false,
    problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`),
  };
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
