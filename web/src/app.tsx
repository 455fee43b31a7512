// Routes: sign-in when signed out; otherwise the pages the role may open,
// each behind a guard so a typed URL cannot show a page the role cannot use.
import { lazy, Suspense, type ReactElement, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Layout } from './components/layout';
import { Button, Loading, Notice } from './components/ui';
import { useMe, useSession } from './lib/session';
import { canOpen, pages, visiblePages } from './pages/page-list';
import { SignInPage } from './pages/sign-in';

const LivePage = lazy(() => import('./pages/live').then((m) => ({ default: m.LivePage })));
const AttendancePage = lazy(() => import('./pages/attendance').then((m) => ({ default: m.AttendancePage })));
const EmployeesPage = lazy(() => import('./pages/employees').then((m) => ({ default: m.EmployeesPage })));
const EnrollPage = lazy(() => import('./pages/enroll').then((m) => ({ default: m.EnrollPage })));
const KioskPage = lazy(() => import('./pages/kiosk').then((m) => ({ default: m.KioskPage })));
const CamerasPage = lazy(() => import('./pages/cameras').then((m) => ({ default: m.CamerasPage })));
const SettingsPage = lazy(() => import('./pages/settings').then((m) => ({ default: m.SettingsPage })));

function Guard({ path, children }: { path: string; children: ReactNode }): ReactElement {
  const me = useMe();
  const page = pages.find((p) => p.path === path);
  if (page === undefined || !canOpen(page, me.permissions)) {
    return (
      <Notice tone="warning" title="Not available for this key">
        The {me.role} role cannot open this page.
      </Notice>
    );
  }
  return <Suspense fallback={<Loading what="the page" />}>{children}</Suspense>;
}

function Home(): ReactElement {
  const me = useMe();
  // A kiosk key is a check-in device first.
  const first = me.role === 'kiosk' ? pages.find((p) => p.path === '/kiosk') : visiblePages(me.permissions)[0];
  return first === undefined ? <Notice title="Nothing to show">This key has no pages.</Notice> : <Navigate to={first.path} replace />;
}

export function App(): ReactElement {
  const { state, retry } = useSession();
  const location = useLocation();
  switch (state.status) {
    case 'loading':
      return (
        <div className="center-screen">
          <Loading what="the app" />
        </div>
      );
    case 'error':
      return (
        <div className="center-screen">
          <Notice tone="error" title="The server could not be reached">
            <p>{state.message}</p>
            <Button onClick={retry} icon="refresh">
              Try again
            </Button>
          </Notice>
        </div>
      );
    case 'signed-out':
      return location.pathname === '/sign-in' ? <SignInPage notice={state.notice} /> : <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
    case 'signed-in':
      return (
        <Routes>
          <Route path="/sign-in" element={<Navigate to={(location.state as { from?: string } | null)?.from ?? '/'} replace />} />
          <Route
            path="/kiosk"
            element={
              <Guard path="/kiosk">
                <KioskPage />
              </Guard>
            }
          />
          <Route element={<Layout />}>
            <Route index element={<Home />} />
            <Route path="/live" element={<Guard path="/live"><LivePage /></Guard>} />
            <Route path="/attendance" element={<Guard path="/attendance"><AttendancePage /></Guard>} />
            <Route path="/employees" element={<Guard path="/employees"><EmployeesPage /></Guard>} />
            <Route path="/enroll" element={<Guard path="/enroll"><EnrollPage /></Guard>} />
            <Route path="/cameras" element={<Guard path="/cameras"><CamerasPage /></Guard>} />
            <Route path="/settings" element={<Guard path="/settings"><SettingsPage /></Guard>} />
            <Route path="*" element={<Notice tone="warning" title="Page not found">There is no page at {location.pathname}.</Notice>} />
          </Route>
        </Routes>
      );
  }
}
