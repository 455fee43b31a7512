// A track's identity, decided by voting over the recognizer's per-frame
// decisions. One frame never names anyone: an employee needs `minVotes` votes
// and `minAgreement` of the confidence-weighted votes in the window, where
// "unknown" votes count too. Once an employee is decided the track keeps that
// name (the `decided` flag is true exactly once per track); an "unknown"
// verdict stays open and can still turn into a name on better frames.
import type { EmployeeId } from '../domain/ids.js';
import type { FaceDecision, RecognitionMethod } from './face-decision.js';
import type { TrackId } from './tracker.js';

export interface VotingOptions {
  /** Least votes for the winning employee. */
  minVotes: number;
  /** Least share of the window's vote weight for the winner, 0..1. */
  minAgreement: number;
  /** Votes considered: the most recent this many. */
  window: number;
  /** Weight of an "unknown" vote (a recognized vote weighs its confidence). */
  unknownWeight: number;
  /**
   * Unknown reasons that say nothing about who it is (a blurred or tiny face):
   * such frames abstain instead of voting "unknown".
   */
  abstainReasons: readonly string[];
}

export const DEFAULT_VOTING_OPTIONS: VotingOptions = {
  minVotes: 3,
  minAgreement: 0.6,
  window: 10,
  unknownWeight: 0.5,
  // liveness_pending: a recognized face whose track's liveness is not judged yet (track-liveness.ts).
  abstainReasons: ['low_quality', 'no_face', 'liveness_pending'],
};

export type TrackIdentity =
  | { kind: 'pending' }
  | { kind: 'unknown'; confidence: number }
  | { kind: 'recognized'; employeeId: EmployeeId; confidence: number; method: RecognitionMethod; decidedAt: number; votes: number };

export interface VoteResult {
  identity: TrackIdentity;
  /** True on the one vote that decided the employee; never again for this track. */
  decided: boolean;
}

interface Ballot {
  votes: FaceDecision[];
  identity: TrackIdentity;
}

const PENDING: TrackIdentity = { kind: 'pending' };

export class TrackVoting {
  readonly options: VotingOptions;
  readonly #ballots = new Map<TrackId, Ballot>();

  constructor(options: Partial<VotingOptions> = {}) {
    this.options = { ...DEFAULT_VOTING_OPTIONS, ...options };
  }

  identity(trackId: TrackId): TrackIdentity {
    return this.#ballots.get(trackId)?.identity ?? PENDING;
  }

  /** Settled tracks need fewer embeddings: decided employees, or faces judged unknown. */
  isSettled(trackId: TrackId): boolean {
    return this.identity(trackId).kind !== 'pending';
  }

  vote(trackId: TrackId, decision: FaceDecision, at: number): VoteResult {
    let ballot = this.#ballots.get(trackId);
    if (ballot === undefined) {
      ballot = { votes: [], identity: PENDING };
      this.#ballots.set(trackId, ballot);
    }
    if (ballot.identity.kind === 'recognized') {
      return { identity: ballot.identity, decided: false };
    }
    if (decision.kind === 'unknown' && this.options.abstainReasons.includes(decision.reason)) {
      return { identity: ballot.identity, decided: false };
    }
    ballot.votes.push(decision);
    if (ballot.votes.length > this.options.window) {
      ballot.votes.shift();
    }
    ballot.identity = this.#tally(ballot.votes, at);
    return { identity: ballot.identity, decided: ballot.identity.kind === 'recognized' };
  }

  forget(trackId: TrackId): void {
    this.#ballots.delete(trackId);
  }

  clear(): void {
    this.#ballots.clear();
  }

  #tally(votes: readonly FaceDecision[], at: number): TrackIdentity {
    const perEmployee = new Map<EmployeeId, { count: number; weight: number; methods: Map<RecognitionMethod, number> }>();
    let unknownCount = 0;
    let unknownWeight = 0;
    let unknownConfidence = 0;
    let total = 0;
    for (const v of votes) {
      if (v.kind === 'unknown') {
        unknownCount += 1;
        unknownWeight += this.options.unknownWeight;
        unknownConfidence += v.confidence;
        total += this.options.unknownWeight;
        continue;
      }
      const weight = Math.max(0, v.confidence);
      const entry = perEmployee.get(v.employeeId) ?? { count: 0, weight: 0, methods: new Map() };
      entry.count += 1;
      entry.weight += weight;
      entry.methods.set(v.method, (entry.methods.get(v.method) ?? 0) + 1);
      perEmployee.set(v.employeeId, entry);
      total += weight;
    }
    if (total <= 0) {
      return PENDING;
    }
    let best: { employeeId: EmployeeId; count: number; weight: number; methods: Map<RecognitionMethod, number> } | undefined;
    for (const [employeeId, entry] of perEmployee) {
      if (best === undefined || entry.weight > best.weight) {
        best = { employeeId, ...entry };
      }
    }
    const { minVotes, minAgreement } = this.options;
    if (best !== undefined && best.count >= minVotes && best.weight / total >= minAgreement) {
      const method = [...best.methods.entries()].sort((a, b) => b[1] - a[1])[0]![0];
      return {
        kind: 'recognized',
        employeeId: best.employeeId,
        confidence: best.weight / best.count,
        method,
        decidedAt: at,
        votes: best.count,
      };
    }
    if (unknownCount >= minVotes && unknownWeight / total >= minAgreement) {
      return { kind: 'unknown', confidence: unknownConfidence / unknownCount };
    }
    return PENDING;
  }
}
