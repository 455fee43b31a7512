// What the enrollment APIs take and give: the start input, the view of a
// session (live data while it is in memory, else its row) and the results of
// a completed session or a photo enrollment.
import type { Employee, EnrollmentSession } from '../generated/prisma/client.js';
import { coverageSummary, type CoverageSummary } from './coverage.js';
import type { EnrollmentSessionStatus } from './events.js';
import type { DroppedFrame } from './frame-selection.js';
import type { LiveSession, PendingEmployee } from './session-store.js';
import type { TemplateCounts } from './template-builder.js';

export type StartEnrollmentInput =
  | { employee: { employeeCode: string; fullName: string; email?: string | null; department?: string | null } }
  | { employeeId: number };

/** What the APIs show of a session (live data while it is in memory). */
export interface EnrollmentSessionView {
  id: string;
  status: EnrollmentSessionStatus;
  employeeId: number | null;
  pendingEmployee: PendingEmployee | null;
  frameCount: number;
  coverage: CoverageSummary | null;
  failureReason: string | null;
  createdAt: Date;
  expiresAt: Date;
  completedAt: Date | null;
}

export interface EnrollmentResult {
  sessionId: string | null;
  employee: Employee;
  created: boolean;
  templates: TemplateCounts;
  coverage: CoverageSummary | null;
  keptFrames: number[];
  dropped: DroppedFrame[];
}

export interface PhotoEnrollmentResult extends EnrollmentResult {
  photos: { index: number; ok: boolean; sector: string | null; qualityScore: number }[];
}

/** The view of a session: its row, with the live counts and coverage while it is in memory. */
export function sessionView(row: EnrollmentSession, live: Pick<LiveSession, 'frameCount' | 'state'> | undefined): EnrollmentSessionView {
  return {
    id: row.id,
    status: row.status,
    employeeId: row.employeeId,
    pendingEmployee: (row.pendingEmployee ?? null) as PendingEmployee | null,
    frameCount: live?.frameCount ?? row.frameCount,
    coverage: live ? coverageSummary(live.state) : ((row.coverage ?? null) as CoverageSummary | null),
    failureReason: row.failureReason,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    completedAt: row.completedAt,
  };
}
