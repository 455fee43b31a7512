// The live recognition models of this app, for the engine's model pack: the
// gallery (every template of active employees under engine.modelId) and the
// active classifier (ClassifierModel row of that pack: the multi-class SVM or
// the shortlist machines). Employees enrolled after the training are decided by
// cosine until they are covered (classifier.ts); with shortlist machines a new
// hire gets their own machine within milliseconds (new-hire-machine.ts). One per
// app, built and started by src/services/create-services.ts.
//
// Every change (reload, one employee refreshed, a new SVM) goes through one
// queue so two loads never interleave; searches never wait for it (the
// Recognizer swaps state atomically, the Gallery copies on write).
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { employeeId, type ModelPackId } from '../domain/ids.js';
import type { FaceEngine } from '../engine/face-engine.js';
import type { AppPubSub } from '../events/event-bus.js';
import type { EmployeeRepository } from '../employees/employee-repository.js';
import type { ClassifierModelRepository } from '../recognition/classifier-model-repository.js';
import { decisionParamsFromConfig } from '../recognition/decision-rules.js';
import { classifierClasses, classifierFor, deserializeClassifier, isShortlistModel, type ClassifierModel } from '../recognition/classifier.js';
import { Recognizer } from '../recognition/recognizer.js';
import { withMachines, type MachineInput } from '../recognition/shortlist/incremental.js';
import type { EmployeeMachine, ShortlistModel } from '../recognition/shortlist/shortlist-model.js';
import type { ClassifierMetrics } from '../recognition/train-classifier.js';
import { Gallery } from '../vision/gallery.js';
import { machineInputFor } from './new-hire-machine.js';
import type { EmployeeMatch } from '../vision/gallery-search.js';
import type { TemplateRepository } from '../recognition/template-repository.js';

/** A stored, trained classifier as the recognizer holds it. */
export interface LiveSvm {
  /** ClassifierModel row id. */
  id: number;
  model: ClassifierModel;
  metrics: ClassifierMetrics | null;
  trainedAt: Date;
}

export interface GalleryEmployee {
  employeeCode: string;
  fullName: string;
}

/** A gallery match; `similarity` = `score` (the cosine), the name enrollment's duplicate check reads. */
export type PersonMatch = EmployeeMatch & { similarity: number };

export interface RecognitionModelsStatus {
  modelId: ModelPackId | null;
  templateCount: number;
  employeeCount: number;
  /** 'svm' when an SVM is live for the current gallery, 'cosine' otherwise, 'none' without an engine. */
  method: 'svm' | 'cosine' | 'none';
  svm: { id: number; classCount: number; metrics: ClassifierMetrics | null; trainedAt: Date } | null;
  loadedAt: Date | null;
}

export interface RecognitionModels {
  /** Follows employeeChanged (deactivated, erased, renamed) and loads gallery and SVM; a failed load is logged and retried on first use. */
  start(): Promise<void>;
  /** Stops following employee changes. */
  stop(): void;
  /** Loads gallery and SVM once (later calls wait for the same load). */
  ready(): Promise<void>;
  /** Re-reads every template and the active SVM from the database. */
  reload(): Promise<void>;
  /** Re-reads one employee's templates (after enrollment, erase, deactivation); drops a stale SVM. */
  refreshEmployee(employeeId: number): Promise<void>;
  /** Makes a freshly trained model live (training service); false if it cannot be (an employee it knows has left and it is a multi-class SVM). */
  activateSvm(svm: LiveSvm): Promise<boolean>;
  /** Re-reads the active classifier from the database (another instance trained it). */
  reloadClassifier(): Promise<void>;
  /** Resolves when every change queued so far (refreshes, new-hire machines) has been applied. */
  settled(): Promise<void>;
  /** null without a face engine. */
  recognizer(): Recognizer | null;
  /** Code and name of an employee in the gallery (active, not erased); undefined otherwise. */
  employee(employeeId: number): GalleryEmployee | undefined;
  /** The k best employees for an embedding by cosine (duplicate-identity check); [] when empty. */
  bestPerEmployee(embedding: Float32Array, k: number): Promise<PersonMatch[]>;
  status(): RecognitionModelsStatus;
}

export interface RecognitionModelsDeps {
  /** Employee names for the gallery's directory. */
  employees: Pick<EmployeeRepository, 'names'>;
  config: Pick<Config, 'RECOGNITION_THRESHOLD' | 'RECOGNITION_MARGIN'>;
  log: Logger;
  faceEngine: Pick<FaceEngine, 'modelId' | 'embeddingSize'> | null;
  pubsub: Pick<AppPubSub, 'subscribe'>;
  clock: () => Date;
  templates: TemplateRepository;
  classifierModels: ClassifierModelRepository;
  /** Fits one employee's shortlist machine off the event loop (the training worker); absent: new hires stay on cosine until retrained. */
  fitMachine?: (model: ShortlistModel, input: MachineInput) => Promise<EmployeeMachine>;
}

export function createRecognitionModels(deps: RecognitionModelsDeps): RecognitionModels {
  const log = deps.log.child({ component: 'recognition-models' });
  const engine = deps.faceEngine;
  const modelId = engine?.modelId ?? null;
  const recognizer = engine ? new Recognizer(engine.modelId, decisionParamsFromConfig(deps.config)) : null;
  let gallery: Gallery | null = engine ? new Gallery(engine.embeddingSize) : null;
  // The active SVM of the database, kept even while stale: a later refresh may make it match again.
  let stored: LiveSvm | null = null;
  let loadedAt: Date | null = null;
  // Names of the employees in the gallery, so recognize() needs no query per frame.
  let directory = new Map<number, GalleryEmployee>();
  let queue: Promise<unknown> = Promise.resolve();
  let firstLoad: Promise<void> | undefined;
  let listening = false;
  let closed = false;
  let stopListening = (): void => undefined;

  /** Runs mutations one at a time, in call order. */
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };

  /**
   * The stored classifier as it may be used with gallery `g`. New employees need nothing (they
   * are decided by cosine until covered). Employees who left: their shortlist machines are
   * dropped; a multi-class SVM holds their templates as support vectors, so it is not used until
   * retrained (the old rule).
   */
  const usable = (model: ClassifierModel, g: Gallery): ClassifierModel | null => {
    const gone = classifierClasses(model).filter((c) => g.templateCount(c) === 0);
    if (gone.length === 0) {
      return model;
    }
    return isShortlistModel(model) ? withMachines(model, new Map(), gone) : null;
  };
  let live: ClassifierModel | null = null;

  /** Puts the stored classifier live as far as it fits the gallery, else leaves cosine alone. */
  const applySvm = (): void => {
    if (!recognizer || !gallery) {
      return;
    }
    live = stored ? usable(stored.model, gallery) : null;
    recognizer.swap({ gallery, svm: live ? classifierFor(live) : undefined });
  };

  /** A new hire (or re-enrolled employee) gets their own shortlist machine: one small fit, no retrain. */
  const fitNewMachine = async (id: number): Promise<void> => {
    const model = stored?.model;
    if (!deps.fitMachine || !gallery || !model || !isShortlistModel(model)) {
      return;
    }
    const input = await machineInputFor(gallery, employeeId(id), model);
    if (!input) {
      return;
    }
    const machine = await deps.fitMachine(model, input);
    // Only if the same classifier is still the stored one (a full training may have replaced it).
    if (stored?.model === model) {
      stored = { ...stored, model: withMachines(model, new Map([[employeeId(id), machine]])) };
      applySvm();
      log.info({ employeeId: id }, 'shortlist machine fitted for a new or re-enrolled employee');
    }
  };

  const loadActiveSvm = async (): Promise<LiveSvm | null> => {
    if (modelId === null) {
      return null;
    }
    const row = await deps.classifierModels.active(modelId);
    if (!row) {
      return null;
    }
    try {
      return {
        id: row.id,
        model: deserializeClassifier(deps.classifierModels.artifactOf(row)),
        metrics: (row.metrics ?? null) as unknown as ClassifierMetrics | null,
        trainedAt: row.createdAt,
      };
    } catch (error) {
      log.error({ err: error, classifierModelId: row.id }, 'stored SVM cannot be read; recognition falls back to cosine');
      return null;
    }
  };

  const readEmployees = async (ids: readonly number[]): Promise<Map<number, GalleryEmployee>> => {
    const rows = await deps.employees.names(ids, 'recognizable');
    return new Map(rows.map((r) => [r.id, { employeeCode: r.employeeCode, fullName: r.fullName }]));
  };

  /** Stops recognizing someone at once (no database round trip); the refresh that follows confirms it. */
  const dropEmployee = (id: number): void => {
    if (gallery && gallery.templateCount(employeeId(id)) > 0) {
      gallery.removeEmployee(employeeId(id));
      applySvm();
    }
    directory.delete(id);
  };

  const loadAll = async (): Promise<void> => {
    if (!engine || !recognizer) {
      return;
    }
    const [templates, svm] = await Promise.all([deps.templates.load(engine.modelId), loadActiveSvm()]);
    const next = new Gallery(engine.embeddingSize);
    for (const t of templates) {
      if (t.embedding.length === engine.embeddingSize) {
        next.add(t.employeeId, t.embedding);
      }
    }
    const names = await readEmployees(next.employees().map(Number));
    gallery = next;
    directory = names;
    stored = svm;
    loadedAt = deps.clock();
    applySvm();
    log.info(
      { templates: next.size, employees: next.employeeCount, svm: stored?.id ?? null, method: recognizer.hasSvm ? 'svm' : 'cosine' },
      'recognition models loaded',
    );
  };

  // Deactivated / erased / re-activated employees: refresh their rows at once. Events also
  // arrive from other instances when the bus is Redis-backed.
  const follow = (): void => {
    if (!engine || listening) {
      return;
    }
    listening = true;
    closed = false;
    const events = deps.pubsub.subscribe('employeeChanged')[Symbol.asyncIterator]();
    // A classifier trained by another instance goes live here too (the trainer's own copy is already live).
    const activations = deps.pubsub.subscribe('classifierActivated')[Symbol.asyncIterator]();
    stopListening = () => {
      void events.return?.();
      void activations.return?.();
    };
    void (async () => {
      for (;;) {
        const next = await activations.next();
        if (next.done || closed) {
          break;
        }
        if (next.value.modelId === modelId && stored?.id !== next.value.classifierModelId) {
          await api.reloadClassifier().catch((error: unknown) => log.error({ err: error }, 'loading the classifier another instance trained failed'));
        }
      }
    })().catch((error: unknown) => log.warn({ err: error }, 'classifierActivated subscription ended'));
    void (async () => {
      try {
        for (;;) {
          const next = await events.next();
          if (next.done || closed) {
            break;
          }
          const event = next.value;
          if (event.kind === 'deactivated' || event.kind === 'erased') {
            dropEmployee(event.employeeId);
          }
          // 'created': a new hire enrolled through another instance (this one's own refresh already ran).
          if (event.kind !== 'created' || !directory.has(event.employeeId)) {
            await api.refreshEmployee(event.employeeId).catch((error: unknown) =>
              log.error({ err: error, employeeId: event.employeeId }, 'refreshing employee templates failed'),
            );
          }
        }
      } catch (error) {
        log.warn({ err: error }, 'employeeChanged subscription ended');
      }
    })();
  };

  const api: RecognitionModels = {
    async start() {
      follow();
      // Gallery and SVM are live before the first request.
      await api.ready().catch((error: unknown) => log.error({ err: error }, 'recognition models not loaded; retried on first use'));
    },
    stop() {
      closed = true;
      listening = false;
      stopListening();
    },
    ready() {
      firstLoad ??= serial(loadAll).catch((error: unknown) => {
        // Let the next caller try again (e.g. the database was down at start-up).
        firstLoad = undefined;
        throw error;
      });
      return firstLoad;
    },
    reload() {
      firstLoad ??= Promise.resolve();
      return serial(loadAll);
    },
    async refreshEmployee(id) {
      await api.ready();
      await serial(async () => {
        if (!engine || !gallery) {
          return;
        }
        const [templates, names] = await Promise.all([deps.templates.load(engine.modelId, { employeeIds: [id] }), readEmployees([id])]);
        const embeddings = templates.filter((t) => t.embedding.length === engine.embeddingSize).map((t) => t.embedding);
        const name = names.get(id);
        const before = gallery.templateCount(employeeId(id));
        // Gallery mutations are copy-on-write against running searches.
        if (embeddings.length === 0 || !name) {
          gallery.removeEmployee(employeeId(id));
          directory.delete(id);
        } else {
          gallery.replaceEmployee(employeeId(id), embeddings);
          directory.set(id, name);
        }
        applySvm();
        const model = stored?.model;
        const changed = embeddings.length > 0 && name !== undefined && (before !== embeddings.length || (model && isShortlistModel(model) && !model.machines.has(employeeId(id))));
        if (changed) {
          // Queued behind this refresh, not awaited by it: the enrollment answers at once and the
          // person is named by cosine meanwhile.
          void serial(() => fitNewMachine(id)).catch((error: unknown) => log.error({ err: error, employeeId: id }, 'new-hire machine fit failed'));
        }
      });
    },
    settled() {
      return serial(() => Promise.resolve());
    },
    async activateSvm(svm) {
      await api.ready();
      return serial(async () => {
        stored = svm;
        applySvm();
        return live !== null;
      });
    },
    async reloadClassifier() {
      await api.ready();
      await serial(async () => {
        stored = await loadActiveSvm();
        applySvm();
        log.info({ svm: stored?.id ?? null, method: recognizer?.hasSvm ? 'svm' : 'cosine' }, 'classifier reloaded');
      });
    },
    recognizer: () => recognizer,
    employee: (id) => directory.get(id),
    async bestPerEmployee(embedding, k) {
      await api.ready();
      if (!gallery || gallery.size === 0) {
        return [];
      }
      const matches = await gallery.bestPerEmployee(embedding, k);
      return matches.map((m) => ({ ...m, similarity: m.score }));
    },
    status() {
      const svm = live && stored ? { ...stored, model: live } : null;
      return {
        modelId,
        templateCount: gallery?.size ?? 0,
        employeeCount: gallery?.employeeCount ?? 0,
        method: recognizer ? (svm ? 'svm' : 'cosine') : 'none',
        svm: svm ? { id: svm.id, classCount: classifierClasses(svm.model).length, metrics: svm.metrics, trainedAt: svm.trainedAt } : null,
        loadedAt,
      };
    },
  };

  return api;
}
