// The one permission matrix. REST routes (config.auth) and GraphQL fields
// (authScopes: { permission }) both check against it, so the two APIs cannot
// disagree about who may do what.
import type { Role } from '../generated/prisma/enums.js';

export type { Role };
export const roles = ['admin', 'operator', 'kiosk', 'viewer'] as const satisfies readonly Role[];

export type Permission =
  | 'employees:read'
  | 'employees:write'
  | 'employees:erase'
  | 'enrollment:write'
  | 'enrollment:session'
  | 'recognition:submit'
  | 'recognition:identify-only'
  | 'recognition:read-own'
  | 'attendance:read'
  | 'attendance:write'
  | 'attendance:correct'
  | 'cameras:read'
  | 'cameras:manage'
  | 'classifier:read'
  | 'classifier:train'
  | 'system:read'
  | 'api-keys:manage'
  | 'liveness:alerts'
  | 'liveness:challenge';

// admin ⊇ operator ⊇ viewer for reading; a kiosk is a separate, narrow role: it
// submits frames and reads its own results, and can never list or delete people.
const matrix: Record<Permission, readonly Role[]> = {
  'employees:read': ['admin', 'operator', 'viewer'],
  'employees:write': ['admin', 'operator'],
  'employees:erase': ['admin'],
  'enrollment:write': ['admin', 'operator'],
  // A kiosk at the door runs a live enrollment itself (start, frames, complete) for
  // sessions it started, with new employee data only; photos and re-enrollment need enrollment:write.
  'enrollment:session': ['admin', 'operator', 'kiosk'],
  'recognition:submit': ['admin', 'operator', 'kiosk'],
  // Recognizing without logging attendance leaves no trace: not for kiosks (an identify-anyone oracle).
  'recognition:identify-only': ['admin', 'operator'],
  'recognition:read-own': ['admin', 'operator', 'kiosk', 'viewer'],
  'attendance:read': ['admin', 'operator', 'viewer'],
  'attendance:write': ['admin', 'operator'],
  // Adding, editing or voiding a log changes someone's record: admins only.
  'attendance:correct': ['admin'],
  'cameras:read': ['admin', 'operator', 'viewer'],
  'cameras:manage': ['admin', 'operator'],
  'classifier:read': ['admin', 'operator', 'viewer'],
  'classifier:train': ['admin', 'operator'],
  'system:read': ['admin', 'operator', 'viewer'],
  'api-keys:manage': ['admin'],
  // Presentation-attack alerts name whom the attack resembled: staff who manage people only.
  'liveness:alerts': ['admin', 'operator'],
  // The kiosk's head-turn check-in (start, frames, result).
  'liveness:challenge': ['admin', 'operator', 'kiosk'],
};

export const permissions = Object.keys(matrix) as Permission[];

export function can(role: Role, permission: Permission): boolean {
  return matrix[permission].includes(role);
}

export function permissionsOf(role: Role): Permission[] {
  return permissions.filter((p) => can(role, p));
}
