// The app's pages and the permission each needs (src/auth/permissions.ts on
// the server is the truth; this only hides what the role cannot use).
import type { IconName } from '../components/icons';
import type { Permission } from '../lib/session';

export interface PageEntry {
  path: string;
  title: string;
  icon: IconName;
  /** Any one of these opens the page. */
  needs: readonly Permission[];
}

export const pages: readonly PageEntry[] = [
  { path: '/live', title: 'Live', icon: 'live', needs: ['cameras:read'] },
  { path: '/attendance', title: 'Attendance', icon: 'attendance', needs: ['attendance:read'] },
  { path: '/employees', title: 'Employees', icon: 'employees', needs: ['employees:read'] },
  { path: '/enroll', title: 'Enroll', icon: 'enroll', needs: ['enrollment:session', 'enrollment:write'] },
  { path: '/kiosk', title: 'Kiosk', icon: 'kiosk', needs: ['recognition:submit'] },
  { path: '/cameras', title: 'Cameras', icon: 'cameras', needs: ['cameras:read'] },
  { path: '/settings', title: 'Settings', icon: 'settings', needs: ['system:read', 'api-keys:manage'] },
];

export function canOpen(page: PageEntry, permissions: readonly string[]): boolean {
  return page.needs.some((p) => permissions.includes(p));
}

export function visiblePages(permissions: readonly string[]): PageEntry[] {
  return pages.filter((p) => canOpen(p, permissions));
}
