// What every classifier checks first about its training set: vectors and labels
// pair up, and there are at least two employees to tell apart.
import { employeeId, type EmployeeId } from '../../domain/ids.js';
import type { SkippedTraining, TrainingSet } from './types.js';

/** The set's employees in id order, or the skip; RangeError when vectors and labels do not pair up. */
export function trainingClasses(set: TrainingSet): { kind: 'classes'; classes: EmployeeId[] } | SkippedTraining {
  if (set.vectors.length !== set.labels.length) {
    throw new RangeError(`${set.vectors.length} vectors but ${set.labels.length} labels`);
  }
  const classes = [...new Set(set.labels)].sort((a, b) => a - b).map(employeeId);
  if (classes.length < 2) {
    return { kind: 'skipped', reason: 'fewer_than_two_employees', classCount: classes.length, templateCount: set.vectors.length };
  }
  return { kind: 'classes', classes };
}
