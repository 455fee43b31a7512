// The composition root: every domain service is built here, once, in
// dependency order, from the narrow parts it uses; nothing else creates one.
// What has a lifetime is listed in `lifetimes` (started in that order, stopped
// in reverse) and what runs on a clock in `jobs`, so the whole background
// behaviour of the server reads from this file.
//
//   repositories → api keys, employees → attendance → recognition models
//   → system, training → liveness → recognition, kiosk challenges, enrollment
//   → employee directory → cameras
import type { AppDeps } from '../app-deps.js';
import { createApiKeyRepository } from '../auth/api-key-repository.js';
import { createCameraRepository } from '../cameras/camera-repository.js';
import { createDatabaseStatus } from '../db/database-status.js';
import { createEmployeeRepository } from '../employees/employee-repository.js';
import { createEnrollmentRepository } from '../enrollment/enrollment-repository.js';
import { createSessionRepository } from '../enrollment/session-repository.js';
import { createAttendanceRepository } from '../attendance/attendance-repository.js';
import { createAuditLog } from '../audit/audit-repository.js';
import { toLoggedEvent } from '../attendance/events.js';
import { createEmployeeDirectory, type EmployeeDirectory } from '../live/employee-directory.js';
import { RecentRecognitions } from '../live/recent-recognitions.js';
import { createClassifierModelRepository } from '../recognition/classifier-model-repository.js';
import { createTemplateRepository } from '../recognition/template-repository.js';
import { createApiKeyService, type ApiKeyService } from './api-key-service.js';
import { createAttendanceService, type AttendanceService } from './attendance-service.js';
import { createCameraService, type CameraService } from './camera-service.js';
import { createEmployeeService, type EmployeeService } from './employee-service.js';
import { createEnrollmentService, type EnrollmentService } from './enrollment-service.js';
import { enrollmentSweepIntervalMs } from './guided-enrollment.js';
import { createRecognitionModels, type RecognitionModels } from './recognition-models.js';
import { createModelsReload, type ModelsReload } from './models-reload.js';
import { createRecognitionService, type RecognitionService } from './recognition-service.js';
import { createLivenessChallengeService, type LivenessChallengeService } from './liveness-challenge-service.js';
import { createLivenessService, type LivenessService } from './liveness-service.js';
import { createJobScheduler, type JobScheduler } from './scheduled-jobs.js';
import { createSystemService, type SystemService } from './system-service.js';
import { createTemplateImportService, type TemplateImportService } from './template-import-service.js';
import { createTrainingService, type TrainingService } from './training-service.js';
import type { RecognitionEvent } from '../attendance/types.js';
import { observedAttendanceWrite, observedPublisher, observedRecognition } from '../metrics/service-metrics.js';
import { createClusterParts } from '../cluster/cluster-parts.js';
import { createTrainPool, fitMachineInWorker, type TrainPool } from '../recognition/svm/train-in-worker.js';
import { createApprovalService, type ApprovalService } from './approval-service.js';
import { createErasureService, type ErasureService } from './erasure-service.js';
import { createIdempotencyStore, type IdempotencyStore } from '../idempotency/idempotency-store.js';
import { secureDataDir } from '../privacy/data-dir.js';
import { countStaleBiometrics } from '../crypto/reencrypt-biometrics.js';

/** Every domain service of the app; GraphQL resolvers, REST routes and WebSockets reach them through this. */
export interface Services {
  readonly apiKeys: ApiKeyService;
  readonly employees: EmployeeService;
  readonly system: SystemService;
  readonly attendance: AttendanceService;
  readonly recognitionModels: RecognitionModels;
  /** reload-models on every instance. */
  readonly modelsReload: ModelsReload;
  readonly training: TrainingService;
  readonly recognition: RecognitionService;
  readonly enrollment: EnrollmentService;
  readonly templateImport: TemplateImportService;
  readonly employeeDirectory: EmployeeDirectory;
  readonly cameras: CameraService;
  readonly liveness: LivenessService;
  readonly livenessChallenges: LivenessChallengeService;
  /** Stored answers of Idempotency-Key requests (recognize). */
  readonly idempotency: IdempotencyStore;
  /** Operator approval of kiosk enrollments. */
  readonly approvals: ApprovalService;
  /** Right to erasure: the employee row and every other trace of the face. */
  readonly erasure: ErasureService;
}

/** Something with a lifetime: start() runs in list order at app start, stop() in reverse at app stop (also when never started). */
export interface Lifetime {
  readonly name: string;
  /** Its start reads or writes the database: deferred, with every lifetime after it, while the database is away. */
  readonly needsDatabase?: boolean;
  start?(): Promise<void> | void;
  stop?(): Promise<void> | void;
}

export type LifetimeState = 'idle' | 'starting' | 'running' | 'failed' | 'stopped';

export interface ComposedServices {
  readonly services: Services;
  readonly jobs: JobScheduler;
  /** Names in start order. */
  readonly lifetimes: readonly string[];
  /** Where each lifetime stands, in start order (status pages, tests). */
  states(): { name: string; state: LifetimeState }[];
  /** Starts every lifetime not yet started, in order; a failure stops them all and rethrows. */
  start(): Promise<void>;
  /**
   * Starts, in order, the lifetimes before the first one that needs the database (the app runs
   * these before it listens when its database is away; start() or resume() go on from there).
   */
  startWithoutDatabase(): Promise<void>;
  /**
   * As start(), but a failure leaves the lifetimes started so far running and rethrows, so a later
   * resume() goes on from the one that failed (the app retries while its database is away).
   */
  resume(): Promise<void>;
  /**
   * Stops every lifetime in reverse order, started or not (each stop is safe on
   * a service never started or never used); every stop runs even if one fails. Idempotent.
   */
  stop(): Promise<void>;
}

export const SNAPSHOT_PURGE_JOB = 'snapshot retention purge';
export const ENROLLMENT_EXPIRY_JOB = 'enrollment session expiry';
export const OUTBOX_ADOPTION_JOB = 'outbox adoption of dead instances';
export const IDEMPOTENCY_PURGE_JOB = 'idempotency answers purge';
export const DATA_DIR_CHECK_JOB = 'shared DATA_DIR check';

export interface JobIntervals {
  /** Snapshot files past SNAPSHOT_RETENTION_DAYS are deleted this often (and once at start). */
  snapshotPurgeMs: number;
  /** Enrollment sessions past their TTL are expired this often (default: from ENROLLMENT_SESSION_TTL_SECONDS). */
  enrollmentExpiryMs?: number;
  /** Several instances: outbox folders of dead instances are looked for this often (a readdir when there are none). */
  outboxAdoptionMs: number;
}

export const DEFAULT_JOB_INTERVALS: JobIntervals = { snapshotPurgeMs: 60 * 60 * 1000, outboxAdoptionMs: 5_000 };

export type ServiceDeps = Pick<
  AppDeps,
  | 'config'
  | 'prisma'
  | 'log'
  | 'clock'
  | 'events'
  | 'pubsub'
  | 'eventBusKind'
  | 'authenticator'
  | 'faceEngine'
  | 'startedAt'
  | 'templateCipher'
  | 'instanceId'
  | 'cluster'
  | 'metrics'
> & {
  readonly jobIntervals?: Partial<JobIntervals>;
};

export function createServices(deps: ServiceDeps): ComposedServices {
  const { config, prisma, clock, events, faceEngine, metrics } = deps;
  const log = (component: string) => deps.log.child({ component });
  // What cameras and training publish is also counted (src/metrics/service-metrics.ts).
  const observedEvents = observedPublisher(events, metrics);

  // Repositories: the data access each domain owns.
  // Embeddings and classifier artifacts are encrypted at rest inside these two.
  const templates = createTemplateRepository(prisma, deps.templateCipher);
  const classifierModels = createClassifierModelRepository(prisma, deps.templateCipher);
  const idempotency = createIdempotencyStore({ prisma, clock, ttlSeconds: config.IDEMPOTENCY_TTL_SECONDS });
  const sessions = createSessionRepository(prisma);
  const cameraRows = createCameraRepository(prisma);
  const employeeRows = createEmployeeRepository(prisma);
  const apiKeyRows = createApiKeyRepository(prisma);
  const database = createDatabaseStatus(prisma);
  const attendanceRows = createAttendanceRepository(prisma, config);

  // Several instances: this one announces itself, cameras go where their leases say, enrollment
  // sessions live in Redis, one instance trains at a time, each keeps its own outbox folder and
  // adopts those of dead ones (src/cluster/cluster-parts.ts).
  const clustered = deps.cluster === null ? null : createClusterParts(deps.cluster, config, log('cluster'));
  const apiKeys = createApiKeyService({ apiKeys: apiKeyRows, cameras: cameraRows, config, authenticator: deps.authenticator, clock, log: log('api-keys') });
  const employees = createEmployeeService({ employees: employeeRows, config, clock, events, log: log('employees') });
  const attendance = createAttendanceService({
    logs: attendanceRows,
    employees: employeeRows,
    database,
    config,
    clock,
    ...(clustered && { outboxDir: clustered.outboxDir }),
    logger: log('attendance'),
    publish: (row) => {
      metrics.attendanceWritten.inc();
      events.publish('attendanceLogged', toLoggedEvent(row));
    },
    outboxMaxEvents: config.OUTBOX_MAX_EVENTS,
  });
  // Recognitions handed to attendance, counted by result (logged, duplicate, queued...).
  const attendanceWrites = { recordRecognition: observedAttendanceWrite((event: RecognitionEvent) => attendance.recordRecognition(event), metrics) };
  // One training worker (a low-priority thread): full trainings and new hires' machines.
  let trainPool: TrainPool | undefined;
  const trainPoolOf = (): TrainPool => (trainPool ??= createTrainPool());
  const recognitionModels = createRecognitionModels({
    employees: employeeRows,
    config,
    log: deps.log,
    faceEngine,
    pubsub: deps.pubsub,
    clock,
    templates,
    classifierModels,
    fitMachine: (model, input) => fitMachineInWorker(trainPoolOf(), model, input),
  });
  // reload-models asked of this instance reaches the others through the pub/sub; they answer.
  const modelsReload = createModelsReload({
    models: recognitionModels,
    pubsub: deps.pubsub,
    instanceId: deps.instanceId,
    liveInstances: async () => (clustered ? (await clustered.registry.list('server')).map((s) => s.id) : [deps.instanceId]),
    clock,
    log: deps.log,
  });
  const employeeDirectory = createEmployeeDirectory(prisma, { known: (id) => recognitionModels.employee(id) });
  // The cameras' decisions for GET /recognition/recognized: this process's ring, or a list the instances share.
  const recentRecognitions = clustered ? clustered.recentRecognitions(employeeDirectory) : new RecentRecognitions();
  // Readiness reports the models' loading (and completes it when the database is back).
  const system = createSystemService({
    database,
    config,
    clock,
    faceEngine,
    startedAt: deps.startedAt,
    eventBusKind: deps.eventBusKind,
    models: recognitionModels,
    outbox: () => attendance.outbox.status(),
    instanceId: deps.instanceId,
    ...(clustered && { dataDirSharing: () => clustered.dataDir.check() }),
  });
  const training = createTrainingService({
    config,
    log: deps.log,
    clock,
    events: observedEvents,
    faceEngine,
    templates,
    classifierModels,
    // A classifier made live here is announced: the other instances load it.
    models: {
      activateSvm: async (svm) => {
        const live = await recognitionModels.activateSvm(svm);
        events.publish('classifierActivated', { modelId: String(faceEngine?.modelId), classifierModelId: svm.id, at: clock().toISOString() });
        return live;
      },
    },
    pool: trainPoolOf,
    ...(clustered && { lock: clustered.trainingLock }),
  });
  const liveness = createLivenessService({ audit: createAuditLog(prisma), employees: employeeRows, config, log: log('liveness'), clock, events, models: recognitionModels });
  const recognition = observedRecognition(
    createRecognitionService({
      employees: employeeRows,
      config,
      clock,
      log: log('recognition'),
      faceEngine,
      models: recognitionModels,
      attendance: attendanceWrites,
      liveness,
    }),
    metrics,
  );
  const livenessChallenges = createLivenessChallengeService({
    config,
    clock,
    log: log('liveness'),
    faceEngine,
    models: recognitionModels,
    attendance: attendanceWrites,
    liveness,
    ...(clustered && { challenges: clustered.challenges }),
  });
  const enrollment = createEnrollmentService({
    employees: employeeRows,
    enrollments: createEnrollmentRepository(prisma, deps.templateCipher, sessions),
    config,
    log: deps.log,
    clock,
    events,
    faceEngine,
    startedAt: deps.startedAt,
    sessions,
    ...(clustered && { liveSessions: clustered.liveSessions }),
    templates,
    models: recognitionModels,
    training,
    liveness,
  });
  const approvals = createApprovalService({ employees: employeeRows, clock, events, log: log('approvals'), models: recognitionModels, training });
  const erasure = createErasureService({
    sessions,
    logs: attendanceRows,
    config,
    log: log('erasure'),
    employees,
    attendance,
    enrollment,
    training,
    classifierModels,
    idempotency,
    recent: recentRecognitions,
  });
  const templateImport = createTemplateImportService({
    employees: employeeRows,
    templates,
    config,
    log: deps.log,
    clock,
    events,
    faceEngine,
    models: recognitionModels,
    training,
  });
  const cameras = createCameraService({
    cameras: cameraRows,
    config,
    log: deps.log,
    faceEngine,
    events: clustered ? clustered.fencedEvents(observedEvents) : observedEvents,
    models: recognitionModels,
    attendance: clustered ? { recordRecognition: clustered.fencedAttendance(attendanceWrites.recordRecognition) } : attendanceWrites,
    directory: employeeDirectory,
    liveness,
    instanceId: deps.instanceId,
    recent: recentRecognitions,
    ...(clustered && { placement: clustered.ownership }),
  });
  metrics.watch({
    engine: () => faceEngine?.stats() ?? null,
    outboxDepth: () => attendance.outbox.size,
    // Only the cameras this instance captures: the others are another instance's series.
    cameras: async () => (await cameras.info()).filter((c) => c.owner === deps.instanceId && c.state !== 'stopped'),
  });

  // Work that runs on a clock.
  const intervals = { ...DEFAULT_JOB_INTERVALS, ...deps.jobIntervals };
  const jobs = createJobScheduler(log('jobs'));
  jobs.add({ name: SNAPSHOT_PURGE_JOB, everyMs: intervals.snapshotPurgeMs, runAtStart: true, run: () => attendance.purgeExpiredSnapshots() });
  jobs.add({ name: IDEMPOTENCY_PURGE_JOB, everyMs: intervals.snapshotPurgeMs, runAtStart: true, run: () => idempotency.purgeExpired() });
  jobs.add({ name: ENROLLMENT_EXPIRY_JOB, everyMs: intervals.enrollmentExpiryMs ?? enrollmentSweepIntervalMs(config), run: () => enrollment.sweep() });
  if (clustered) {
    const adoption = clustered.outboxAdoption((dir, timeoutMs) => attendance.drainOutbox(dir, timeoutMs));
    jobs.add({ name: OUTBOX_ADOPTION_JOB, everyMs: intervals.outboxAdoptionMs, runAtStart: true, run: () => adoption.sweep() });
    // A DATA_DIR that is not shared is logged (snapshots and outboxes need one folder for all).
    jobs.add({ name: DATA_DIR_CHECK_JOB, everyMs: 60_000, runAtStart: true, run: () => clustered.dataDir.warnIfNotShared() });
  }

  const adminKey = config.ADMIN_API_KEY;
  const lifetimes: Lifetime[] = [
    // First up, last down: the other instances see this one alive while it holds anything.
    ...(clustered === null ? [] : [{ name: 'instance registry', start: () => clustered.registry.start(), stop: () => clustered.registry.stop() }]),
    // Snapshots and the outbox journal hold biometric data: owner-only folders.
    { name: 'data folder', start: () => secureDataDir(config.DATA_DIR) },
    {
      // Replays what a previous run queued, then drains new entries while the database is away.
      // First, and without the database, so queued events are replayed before any new one.
      name: 'attendance outbox',
      start: () => attendance.start().catch((error: unknown) => deps.log.error({ err: error }, 'attendance outbox failed to start')),
      stop: () => attendance.stop(),
    },
    ...(adminKey === undefined
      ? []
      : [{ name: 'bootstrap admin key', needsDatabase: true, start: () => apiKeys.ensureBootstrapAdminKey(adminKey) }]),
    // Follows employee changes; loads gallery and SVM so they are live before the first request.
    { name: 'recognition models', needsDatabase: true, start: () => recognitionModels.start(), stop: () => recognitionModels.stop() },
    // Answers other instances' reload-models requests.
    { name: 'models reload', start: () => modelsReload.start(), stop: () => modelsReload.stop() },
    // Debounced automatic retraining and the training worker.
    {
      name: 'training',
      stop: async () => {
        await training.close();
        await trainPool?.close();
      },
    },
    // Sessions a previous run left active are expired.
    { name: 'enrollment sessions', needsDatabase: true, start: () => enrollment.start(), stop: () => enrollment.stop() },
    // Saves the environment's camera; enabled cameras then start in the background.
    { name: 'cameras', needsDatabase: true, start: () => cameras.boot(), stop: () => cameras.shutdown() },
    { name: 'scheduled jobs', needsDatabase: true, start: () => jobs.start(), stop: () => jobs.stop() },
    // Rows from before encryption, or under a previous key, are named once (the rotation command fixes them).
    {
      name: 'template encryption check',
      needsDatabase: true,
      start: () =>
        void countStaleBiometrics(prisma, deps.templateCipher)
          .then((stale) => {
            if (stale > 0) {
              deps.log.warn({ rows: stale }, 'face templates or classifier artifacts not under the current TEMPLATE_ENCRYPTION_KEY: run npm run keys:rotate-templates -- --reencrypt-only');
            }
          })
          .catch((error: unknown) => deps.log.warn({ err: error }, 'could not check template encryption')),
    },
  ];

  let stopping: Promise<void> | undefined;
  const state = new Map<Lifetime, LifetimeState>(lifetimes.map((l) => [l, 'idle']));
  // How many lifetimes have started: start() and resume() go on from there.
  let started = 0;
  const startOne = async (lifetime: Lifetime): Promise<void> => {
    if (stopping !== undefined) {
      throw new Error('services were stopped; build new ones to start again');
    }
    state.set(lifetime, 'starting');
    try {
      await lifetime.start?.();
      state.set(lifetime, 'running');
    } catch (error) {
      state.set(lifetime, 'failed');
      throw error;
    }
  };
  const resume = async (): Promise<void> => {
    if (stopping !== undefined) {
      throw new Error('services were stopped; build new ones to start again');
    }
    for (; started < lifetimes.length; started += 1) {
      await startOne(lifetimes[started]!);
    }
  };

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      for (const lifetime of [...lifetimes].reverse()) {
        try {
          await lifetime.stop?.();
        } catch (error) {
          deps.log.error({ err: error, service: lifetime.name }, 'service failed to stop');
        }
        state.set(lifetime, 'stopped');
      }
    })();
    return stopping;
  };

  return {
    services: {
      apiKeys,
      employees,
      system,
      attendance,
      recognitionModels,
      modelsReload,
      training,
      recognition,
      enrollment,
      templateImport,
      employeeDirectory,
      cameras,
      idempotency,
      approvals,
      erasure,
      liveness,
      livenessChallenges,
    },
    jobs,
    lifetimes: lifetimes.map((l) => l.name),
    states: () => lifetimes.map((l) => ({ name: l.name, state: state.get(l) ?? 'idle' })),
    async start() {
      if (stopping !== undefined) {
        throw new Error('services were stopped; build new ones to start again');
      }
      try {
        await resume();
      } catch (error) {
        await stop();
        throw error;
      }
    },
    async startWithoutDatabase() {
      for (; started < lifetimes.length && lifetimes[started]?.needsDatabase !== true; started += 1) {
        await startOne(lifetimes[started]!);
      }
    },
    resume,
    stop,
  };
}
