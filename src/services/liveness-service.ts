// Passive liveness policy for the services: judge a face's P(live) against
// LIVENESS_THRESHOLD, name whom a spoof resembled, and report a presentation
// attack (an audit row, then the presentationAttack event for operators and
// admins). Recognition, live cameras, enrollment and the kiosk challenge all
// go through here, so they cannot disagree about what a spoof is.
import type { Logger } from 'pino';
import type { Caller } from '../auth/caller.js';
import type { AuditLog } from '../audit/audit-repository.js';
import type { Config } from '../config.js';
import type { EventPublisher } from '../events/event-bus.js';
import type { EmployeeRepository } from '../employees/employee-repository.js';
import type { AttackSource, PresentationAttackEvent, ResembledEmployee } from '../liveness/events.js';
import type { RecognitionDecision } from '../recognition/decision-rules.js';
import type { RecognitionModels } from './recognition-models.js';

export interface FaceLiveness {
  /** P(live), 0..1 (a median for a track or a challenge). */
  score: number;
  live: boolean;
}

type LivenessConfig = Pick<Config, 'LIVENESS_MODE' | 'LIVENESS_THRESHOLD'>;

export const livenessEnabled = (config: Pick<Config, 'LIVENESS_MODE'>): boolean => config.LIVENESS_MODE !== 'off';

/** The verdict for a score; null when liveness is off or the face was not scored. */
export function judgeLiveness(config: LivenessConfig, score: number | undefined): FaceLiveness | null {
  if (!livenessEnabled(config) || score === undefined || !Number.isFinite(score)) {
    return null;
  }
  return { score, live: score >= config.LIVENESS_THRESHOLD };
}

export interface AttackReport {
  source: AttackSource;
  cameraId: number | null;
  reason: string;
  detail: string;
  livenessScore: number | null;
  resembled: ResembledEmployee | null;
}

export interface LivenessServiceDeps {
  /** Presentation attacks are audited. */
  audit: AuditLog;
  /** Names of people the models do not know (deactivated, erased). */
  employees: Pick<EmployeeRepository, 'names'>;
  config: LivenessConfig;
  log: Logger;
  clock: () => Date;
  events: EventPublisher;
  /** Names of enrolled people (the models' directory; the database for others). */
  models: Pick<RecognitionModels, 'employee'>;
}

export interface LivenessService {
  readonly enabled: boolean;
  readonly threshold: number;
  judge(score: number | undefined): FaceLiveness | null;
  /** Whom a face's recognition decision points at: the recognized person, or the best candidate. */
  resembledBy(decision: RecognitionDecision | undefined): Promise<ResembledEmployee | null>;
  resembledEmployee(employeeId: number, confidence: number, wouldRecognize: boolean): Promise<ResembledEmployee | null>;
  /**
   * Audits and publishes one presentation attack. Never throws: a failed audit write is logged
   * and the event still goes out (the refusal itself has already been decided).
   */
  report(caller: Caller | null, report: AttackReport): Promise<PresentationAttackEvent>;
}

export function createLivenessService(deps: LivenessServiceDeps): LivenessService {
  const { config } = deps;
  const resembledEmployee = async (employeeId: number, confidence: number, wouldRecognize: boolean): Promise<ResembledEmployee | null> => {
    const known =
      deps.models.employee(employeeId) ??
      (await deps.employees.names([employeeId], 'any'))[0];
    if (!known) {
      return null;
    }
    return {
      employeeId,
      employeeCode: known.employeeCode,
      fullName: known.fullName,
      confidence: Math.round(confidence * 10_000) / 10_000,
      wouldRecognize,
    };
  };
  return {
    enabled: livenessEnabled(config),
    threshold: config.LIVENESS_THRESHOLD,
    judge: (score) => judgeLiveness(config, score),
    resembledEmployee,
    async resembledBy(decision) {
      if (!decision) {
        return null;
      }
      const id = decision.kind === 'recognized' ? decision.employeeId : decision.bestCandidate;
      return id === undefined ? null : resembledEmployee(Number(id), decision.confidence, decision.kind === 'recognized');
    },
    async report(caller, report) {
      const event: PresentationAttackEvent = {
        at: deps.clock().toISOString(),
        ...report,
        livenessScore:
          report.livenessScore === null || !Number.isFinite(report.livenessScore) ? null : Math.round(report.livenessScore * 1e6) / 1e6,
        threshold: config.LIVENESS_THRESHOLD,
        apiKeyId: caller ? Number(caller.apiKeyId) : null,
      };
      try {
        await deps.audit.write(caller, {
          action: 'liveness.presentation_attack',
          entityType: report.resembled ? 'employee' : 'camera',
          entityId: report.resembled?.employeeId ?? report.cameraId ?? 'none',
          after: event,
          reason: report.detail,
        });
      } catch (error) {
        deps.log.error({ err: error, event }, 'presentation attack: audit row not written');
      }
      deps.log.warn({ event }, 'presentation attack');
      deps.events.publish('presentationAttack', event);
      return event;
    },
  };
}
