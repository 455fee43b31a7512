// Recognition service: one frame in, every face out with its decision
// (employee or unknown with a reason), and, for recognized faces, an
// attendance log with an event id of its own (src/attendance/event-id.ts).
// With liveness on, a face whose P(live) is below LIVENESS_THRESHOLD is a
// spoof: unknown with reason 'spoof', never logged, and reported as a
// presentation attack naming whom it resembled. A face that fills the picture
// (a badge photo, a face against the lens) leaves the liveness model too little
// of the picture to judge (liveness/crop-context.ts): it is named, its liveness
// is null, and it never checks anyone in (attendance rejected
// 'liveness_unverified', no attack reported). GraphQL's `recognize` and
// REST's POST /recognition/recognize both call it; retries are made
// idempotent by src/idempotency/recognize-once.ts.
import { checksInByChallengeOnly } from '../liveness/challenge.js';
import { newEventId } from '../attendance/event-id.js';
import { DomainError } from '../domain/errors.js';
import { livenessJudgeable } from '../liveness/crop-context.js';
import { analyzeWithPaddedRetry } from '../vision/padded-analysis.js';
import type { Logger } from 'pino';
import type { Caller } from '../auth/caller.js';
import type { Config } from '../config.js';
import { cameraId as toCameraId, type EmployeeId } from '../domain/ids.js';
import type { FaceEngine } from '../engine/face-engine.js';
import { requireFaceEngine } from '../engine/require-face-engine.js';
import type { EmployeeRepository } from '../employees/employee-repository.js';
import type { RecordResult } from '../attendance/types.js';
import type { RecognitionDecision } from '../recognition/decision-rules.js';
import type { Box, FaceQuality } from '../vision/types.js';
import type { AttendanceService } from './attendance-service.js';
import type { AttackReport, FaceLiveness, LivenessService } from './liveness-service.js';
import type { RecognitionModels } from './recognition-models.js';

export type UnknownReason = 'no_face' | 'low_quality' | 'below_threshold' | 'ambiguous' | 'spoof';

export type FaceAttendance =
  | { kind: 'logged'; logId: number; eventId: string }
  | { kind: 'duplicate'; reason: 'same_event' | 'dedupe_window'; existingLogId: number }
  | { kind: 'queued'; eventId: string }
  | { kind: 'rejected'; reason: 'unknown_employee' | 'unknown_camera' | 'liveness_unverified' }
  | { kind: 'failed'; message: string };

export interface RecognizedEmployee {
  id: EmployeeId;
  employeeCode: string;
  fullName: string;
}

export interface FaceResult {
  box: Box;
  detectionScore: number;
  quality: FaceQuality;
  /** null for an unknown face. */
  employee: RecognizedEmployee | null;
  /** 0..1: calibrated SVM probability, or the cosine-derived score. */
  confidence: number;
  /** Best cosine of the recognized employee's templates; null for unknowns. */
  cosine: number | null;
  /** null for an unknown face. */
  method: 'svm' | 'cosine' | null;
  /** null for a recognized face. */
  reason: UnknownReason | null;
  /**
   * Passive liveness verdict; null when LIVENESS_MODE=off (or the engine has no liveness model), and
   * when the face fills the picture too much to be judged (then it is never logged).
   */
  liveness: FaceLiveness | null;
  /** Absent when attendance was not asked for or the face is unknown. */
  attendance?: FaceAttendance;
}

export interface RecognitionResult {
  width: number;
  height: number;
  modelId: string;
  faces: FaceResult[];
  /** 'no_face' when the frame holds no face at all. */
  reason: 'no_face' | null;
  /** 'svm' when an SVM is live, else 'cosine'. */
  methodAvailable: 'svm' | 'cosine';
  timingsMs: { analyze: number; decide: number; lookup: number; attendance: number; total: number };
}

export interface RecognizeOptions {
  /** Default true: recognized faces are logged as attendance. */
  logAttendance?: boolean;
  cameraId?: number | null;
  /** Who sent the frame: named in the audit row of a presentation attack. */
  caller?: Caller | null;
  signal?: AbortSignal;
}

export interface RecognitionServiceDeps {
  /** Names of recognized people the models' directory does not know yet. */
  employees: Pick<EmployeeRepository, 'names'>;
  config: Pick<Config, 'SNAPSHOTS_ENABLED' | 'LIVENESS_MODE' | 'MAX_FACES_PER_FRAME'>;
  clock: () => Date;
  log: Logger;
  faceEngine: FaceEngine | null;
  models: Pick<RecognitionModels, 'ready' | 'recognizer' | 'employee' | 'refreshEmployee'>;
  attendance: Pick<AttendanceService, 'recordRecognition'>;
  /** Passive liveness: spoofs are not recognized and are reported. */
  liveness: Pick<LivenessService, 'enabled' | 'threshold' | 'judge' | 'resembledBy' | 'report'>;
}

export interface RecognitionService {
  /** Every face of one frame with its decision; recognized faces logged as attendance unless told not to. */
  recognize(image: Uint8Array, options: RecognizeOptions): Promise<RecognitionResult>;
}

export function createRecognitionService(deps: RecognitionServiceDeps): RecognitionService {
  return { recognize: (image, options) => recognizeFrame(deps, image, options) };
}

async function recognizeFrame(deps: RecognitionServiceDeps, image: Uint8Array, options: RecognizeOptions): Promise<RecognitionResult> {
  const started = performance.now();
  const engine = requireFaceEngine(deps);
  const models = deps.models;
  const caller = options.caller ?? null;
  const challengeOnly = checksInByChallengeOnly(deps.config.LIVENESS_MODE, caller?.role);
  const logAttendance = (options.logAttendance ?? true) && !challengeOnly;
  const wantSnapshots = logAttendance && deps.config.SNAPSHOTS_ENABLED;
  const [analysis] = await Promise.all([
    // Engine failures arrive as domain errors (400/413/503), mapped by the engine itself.
    // Tight crops (ID badges) get a second look on a padded copy when no face was found.
    analyzeWithPaddedRetry((img, o) => engine.analyze(img, o), image, {
      embed: true,
      alignedCrops: wantSnapshots,
      maxFaces: deps.config.MAX_FACES_PER_FRAME,
      liveness: deps.liveness.enabled,
      ...(options.signal ? { signal: options.signal } : {}),
    }),
    models.ready(),
  ]);
  const analyzed = performance.now();
  const recognizer = models.recognizer();
  const decisions: RecognitionDecision[] = recognizer
    ? await recognizer.recognize(
        analysis.faces.map((f) => f.embedding),
        analysis.faces.map((f) => f.quality),
      )
    : [];
  const searched = performance.now();

  // Names of the recognized, from the models' directory (kept in step with employeeChanged);
  // the database only for an id the directory does not know (then it must be active).
  const ids = [...new Set(decisions.flatMap((d) => (d.kind === 'recognized' ? [Number(d.employeeId)] : [])))];
  const byId = new Map<number, { employeeCode: string; fullName: string }>();
  const missing: number[] = [];
  for (const id of ids) {
    const known = models.employee(id);
    if (known) {
      byId.set(id, known);
    } else {
      missing.push(id);
    }
  }
  if (missing.length > 0) {
    const rows = await deps.employees.names(missing, 'active');
    rows.forEach((r) => byId.set(r.id, r));
    for (const id of missing.filter((m) => !byId.has(m))) {
      void models.refreshEmployee(id).catch(() => undefined);
    }
  }
  const decided = performance.now();

  const attacks: AttackReport[] = [];
  /** Faces scored without enough of the picture around them: neither live nor spoof. */
  const unverified = new Set<number>();
  const faces: FaceResult[] = analysis.faces.map((face, i) => {
    const d = decisions[i] ?? { kind: 'unknown', reason: 'below_threshold', confidence: 0 };
    if (deps.liveness.enabled && face.liveness !== undefined && !livenessJudgeable(face.livenessContext)) {
      unverified.add(i);
    }
    const liveness = unverified.has(i) ? null : deps.liveness.judge(face.liveness);
    const base = { box: face.box, detectionScore: face.score, quality: face.quality, liveness };
    if (liveness && !liveness.live) {
      return { ...base, employee: null, confidence: d.confidence, cosine: null, method: null, reason: 'spoof' };
    }
    const row = d.kind === 'recognized' ? byId.get(Number(d.employeeId)) : undefined;
    if (d.kind === 'recognized' && row) {
      return {
        ...base,
        employee: { id: d.employeeId, employeeCode: row.employeeCode, fullName: row.fullName },
        confidence: d.confidence,
        cosine: d.cosine,
        method: d.method,
        reason: null,
      };
    }
    return {
      ...base,
      employee: null,
      confidence: d.confidence,
      cosine: null,
      method: null,
      reason: d.kind === 'unknown' ? d.reason : 'below_threshold',
    };
  });

  for (const [i, face] of faces.entries()) {
    if (face.reason === 'spoof') {
      attacks.push({
        source: 'recognize',
        cameraId: options.cameraId ?? null,
        reason: 'spoof',
        detail: `passive liveness ${face.liveness!.score.toPrecision(2)} < ${deps.liveness.threshold}`,
        livenessScore: face.liveness!.score,
        resembled: await deps.liveness.resembledBy(decisions[i]),
      });
    }
  }
  await Promise.all(attacks.map((a) => deps.liveness.report(caller, a)));

  if (logAttendance) {
    const attendance = deps.attendance;
    const at = deps.clock();
    const cameraId = options.cameraId ?? null;
    await Promise.all(
      faces.map(async (face, i) => {
        if (!face.employee || !face.method) {
          return;
        }
        if (unverified.has(i)) {
          // Identified, but nothing shows a live person in front of a camera: no check-in.
          face.attendance = { kind: 'rejected', reason: 'liveness_unverified' };
          return;
        }
        const snapshot = wantSnapshots ? analysis.faces[i]?.alignedJpeg : undefined;
        try {
          const result = await attendance.recordRecognition({
            // One id per recognized face, made here: two people never share one.
            eventId: newEventId(),
            employeeId: face.employee.id,
            cameraId: cameraId === null ? null : toCameraId(cameraId),
            at,
            confidence: face.confidence,
            method: face.method,
            ...(snapshot ? { snapshotJpeg: snapshot } : {}),
          });
          face.attendance = attendanceOf(result);
        } catch (error) {
          // Recognition still answers; the log failure is reported per face.
          deps.log.error({ err: error, employeeId: face.employee.id }, 'recognize: attendance log failed');
          // The client sees a stable text; the cause (SQL, paths) stays in the log.
          face.attendance = { kind: 'failed', message: error instanceof DomainError ? error.message : 'attendance could not be recorded' };
        }
      }),
    );
  }
  const done = performance.now();
  return {
    width: analysis.width,
    height: analysis.height,
    modelId: analysis.modelId,
    faces,
    reason: faces.length === 0 ? 'no_face' : null,
    methodAvailable: recognizer?.hasSvm ? 'svm' : 'cosine',
    timingsMs: {
      analyze: round(analyzed - started),
      decide: round(searched - analyzed),
      lookup: round(decided - searched),
      attendance: round(done - decided),
      total: round(done - started),
    },
  };
}

/** The per-face attendance outcome of a recorded recognition (also the kiosk challenge's check-in). */
export function attendanceOf(result: RecordResult): FaceAttendance {
  switch (result.kind) {
    case 'logged':
      return { kind: 'logged', logId: result.log.id, eventId: result.log.eventId };
    case 'duplicate':
      return { kind: 'duplicate', reason: result.reason, existingLogId: result.existingLogId };
    case 'queued':
      return { kind: 'queued', eventId: result.eventId };
    case 'rejected':
      return { kind: 'rejected', reason: result.reason };
  }
}

const round = (ms: number): number => Math.round(ms * 100) / 100;
