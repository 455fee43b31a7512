// The composition root: every domain service is built here, once, in
// dependency order, from the narrow parts it uses; nothing else creates one.
// What has a lifetime is listed in `lifetimes` (started in that order, stopped
// in reverse) and what runs on a clock in `jobs`, so the whole background
// behaviour of the server reads from this file.
//
//   repositories → api keys, employees, system → attendance → recognition models
//   → training → recognition, enrollment → employee directory → cameras
import type { AppDeps } from '../app-deps.js';
import type { CameraEventHub } from '../cameras/event-hub.js';
import { createSessionRepository } from '../enrollment/session-repository.js';
import { toLoggedEvent } from '../attendance/logged-event.js';
import { createEmployeeDirectory, type EmployeeDirectory } from '../live/employee-directory.js';
import { createClassifierModelRepository } from '../recognition/classifier-model-repository.js';
import { createTemplateRepository } from '../recognition/template-repository.js';
import { createApiKeyService, type ApiKeyService } from './api-key-service.js';
import { createAttendanceService, type AttendanceService } from './attendance-service.js';
import { createCameraService, type CameraService } from './camera-service.js';
import { createEmployeeService, type EmployeeService } from './employee-service.js';
import { createEnrollmentService, enrollmentSweepIntervalMs, type EnrollmentService } from './enrollment-service.js';
import { createRecognitionModels, type RecognitionModels } from './recognition-models.js';
import { createRecognitionService, type RecognitionService } from './recognition-service.js';
import { createJobScheduler, type JobScheduler } from './scheduled-jobs.js';
import { createSystemService, type SystemService } from './system-service.js';
import { createTemplateImportService, type TemplateImportService } from './template-import-service.js';
import { createTrainingService, type TrainingService } from './training-service.js';
import { createTrainPool, fitMachineInWorker, type TrainPool } from '../recognition/svm/train-in-worker.js';

/** Every domain service of the app; GraphQL resolvers, REST routes and WebSockets reach them through this. */
export interface Services {
  readonly apiKeys: ApiKeyService;
  readonly employees: EmployeeService;
  readonly system: SystemService;
  readonly attendance: AttendanceService;
  readonly recognitionModels: RecognitionModels;
  readonly training: TrainingService;
  readonly recognition: RecognitionService;
  readonly enrollment: EnrollmentService;
  readonly templateImport: TemplateImportService;
  readonly employeeDirectory: EmployeeDirectory;
  readonly cameras: CameraService;
}

/** Something with a lifetime: start() runs in list order at app start, stop() in reverse at app stop (also when never started). */
export interface Lifetime {
  readonly name: string;
  start?(): Promise<void> | void;
  stop?(): Promise<void> | void;
}

export interface ComposedServices {
  readonly services: Services;
  readonly jobs: JobScheduler;
  /** Names in start order. */
  readonly lifetimes: readonly string[];
  /** Starts every lifetime in order; a failure stops them all and rethrows. */
  start(): Promise<void>;
  /**
   * Stops every lifetime in reverse order, started or not (each stop is safe on
   * a service never started or never used); every stop runs even if one fails. Idempotent.
   */
  stop(): Promise<void>;
}

export const SNAPSHOT_PURGE_JOB = 'snapshot retention purge';
export const ENROLLMENT_EXPIRY_JOB = 'enrollment session expiry';

export interface JobIntervals {
  /** Snapshot files past SNAPSHOT_RETENTION_DAYS are deleted this often (and once at start). */
  snapshotPurgeMs: number;
  /** Enrollment sessions past their TTL are expired this often (default: from ENROLLMENT_SESSION_TTL_SECONDS). */
  enrollmentExpiryMs?: number;
}

export const DEFAULT_JOB_INTERVALS: JobIntervals = { snapshotPurgeMs: 60 * 60 * 1000 };

export type ServiceDeps = Pick<
  AppDeps,
  'config' | 'prisma' | 'log' | 'clock' | 'events' | 'pubsub' | 'eventBusKind' | 'authenticator' | 'faceEngine' | 'startedAt'
> & {
  /** Fan-out of camera frames and decisions to live subscribers. */
  readonly liveEvents: CameraEventHub;
  readonly jobIntervals?: Partial<JobIntervals>;
};

export function createServices(deps: ServiceDeps): ComposedServices {
  const { config, prisma, clock, events, faceEngine } = deps;
  const log = (component: string) => deps.log.child({ component });

  // Repositories: the data access each domain owns.
  const templates = createTemplateRepository(prisma);
  const classifierModels = createClassifierModelRepository(prisma);
  const sessions = createSessionRepository(prisma);

  const apiKeys = createApiKeyService({ prisma, config, authenticator: deps.authenticator, clock, log: log('api-keys') });
  const employees = createEmployeeService({ prisma, config, clock, events, log: log('employees') });
  const system = createSystemService({ prisma, config, clock, faceEngine, startedAt: deps.startedAt, eventBusKind: deps.eventBusKind });
  const attendance = createAttendanceService({
    prisma,
    config,
    clock,
    logger: log('attendance'),
    publish: (row) => events.publish('attendanceLogged', toLoggedEvent(row)),
  });
  // One training worker (a low-priority thread): full trainings and new hires' machines.
  let trainPool: TrainPool | undefined;
  const trainPoolOf = (): TrainPool => (trainPool ??= createTrainPool());
  const recognitionModels = createRecognitionModels({
    prisma,
    config,
    log: deps.log,
    faceEngine,
    pubsub: deps.pubsub,
    clock,
    templates,
    classifierModels,
    fitMachine: (model, input) => fitMachineInWorker(trainPoolOf(), model, input),
  });
  const training = createTrainingService({
    config,
    log: deps.log,
    clock,
    events,
    faceEngine,
    templates,
    classifierModels,
    models: recognitionModels,
    pool: trainPoolOf,
  });
  const recognition = createRecognitionService({
    prisma,
    config,
    clock,
    log: log('recognition'),
    faceEngine,
    models: recognitionModels,
    attendance,
  });
  const enrollment = createEnrollmentService({
    prisma,
    config,
    log: deps.log,
    clock,
    events,
    faceEngine,
    startedAt: deps.startedAt,
    sessions,
    models: recognitionModels,
    training,
  });
  const templateImport = createTemplateImportService({
    prisma,
    config,
    log: deps.log,
    clock,
    events,
    faceEngine,
    models: recognitionModels,
    training,
  });
  const employeeDirectory = createEmployeeDirectory(prisma, { known: (id) => recognitionModels.employee(id) });
  const cameras = createCameraService({
    prisma,
    config,
    log: deps.log,
    faceEngine,
    hub: deps.liveEvents,
    models: recognitionModels,
    attendance,
    directory: employeeDirectory,
  });

  // Work that runs on a clock.
  const intervals = { ...DEFAULT_JOB_INTERVALS, ...deps.jobIntervals };
  const jobs = createJobScheduler(log('jobs'));
  jobs.add({ name: SNAPSHOT_PURGE_JOB, everyMs: intervals.snapshotPurgeMs, runAtStart: true, run: () => attendance.purgeExpiredSnapshots() });
  jobs.add({ name: ENROLLMENT_EXPIRY_JOB, everyMs: intervals.enrollmentExpiryMs ?? enrollmentSweepIntervalMs(config), run: () => enrollment.sweep() });

  const adminKey = config.ADMIN_API_KEY;
  const lifetimes: Lifetime[] = [
    ...(adminKey === undefined ? [] : [{ name: 'bootstrap admin key', start: () => apiKeys.ensureBootstrapAdminKey(adminKey) }]),
    {
      // Replays what a previous run queued, then drains new entries while the database is away.
      name: 'attendance outbox',
      start: () => attendance.start().catch((error: unknown) => deps.log.error({ err: error }, 'attendance outbox failed to start')),
      stop: () => attendance.stop(),
    },
    // Follows employee changes; loads gallery and SVM so they are live before the first request.
    { name: 'recognition models', start: () => recognitionModels.start(), stop: () => recognitionModels.stop() },
    // Debounced automatic retraining and the training worker.
    {
      name: 'training',
      stop: async () => {
        await training.close();
        await trainPool?.close();
      },
    },
    // Sessions a previous run left active are expired.
    { name: 'enrollment sessions', start: () => enrollment.start(), stop: () => enrollment.stop() },
    // Saves the environment's camera; enabled cameras then start in the background.
    { name: 'cameras', start: () => cameras.boot(), stop: () => cameras.shutdown() },
    { name: 'scheduled jobs', start: () => jobs.start(), stop: () => jobs.stop() },
  ];

  let stopping: Promise<void> | undefined;

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      for (const lifetime of [...lifetimes].reverse()) {
        try {
          await lifetime.stop?.();
        } catch (error) {
          deps.log.error({ err: error, service: lifetime.name }, 'service failed to stop');
        }
      }
    })();
    return stopping;
  };

  return {
    services: { apiKeys, employees, system, attendance, recognitionModels, training, recognition, enrollment, templateImport, employeeDirectory, cameras },
    jobs,
    lifetimes: lifetimes.map((l) => l.name),
    async start() {
      for (const lifetime of lifetimes) {
        try {
          await lifetime.start?.();
        } catch (error) {
          await stop();
          throw error;
        }
      }
    },
    stop,
  };
}
