// Who is signed in. The API key is sent once to POST /api/v1/auth/session and
// forgotten; the HttpOnly cookie it returns authenticates everything after.
// `me` tells the role and permissions, and the app shows only what they allow.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { MeDocument, type MeQuery } from '../gql/graphql';
import { GraphQlRequestError, gqlRequest, onUnauthenticated, resetSubscriptions } from './graphql';

export type Me = MeQuery['me'];

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; notice?: string }
  | { status: 'error'; message: string }
  | { status: 'signed-in'; me: Me };

interface SessionApi {
  state: SessionState;
  signIn: (apiKey: string) => Promise<{ ok: true } | { ok: false; message: string }>;
  signOut: () => Promise<void>;
  retry: () => void;
}

const SessionContext = createContext<SessionApi | null>(null);

async function loadMe(): Promise<SessionState> {
  try {
    const { me } = await gqlRequest(MeDocument, {});
    return { status: 'signed-in', me };
  } catch (error) {
    if (error instanceof GraphQlRequestError && (error.code === 'UNAUTHENTICATED' || error.code === 'FORBIDDEN')) {
      return { status: 'signed-out' };
    }
    return { status: 'error', message: error instanceof Error ? error.message : String(error) };
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    void loadMe().then((s) => live && setState(s));
    return () => {
      live = false;
    };
  }, [attempt]);

  useEffect(
    () =>
      onUnauthenticated(() => {
        resetSubscriptions();
        setState((s) => (s.status === 'signed-in' ? { status: 'signed-out', notice: 'Your session ended. Sign in again.' } : s));
      }),
    [],
  );

  const signIn = useCallback(async (apiKey: string) => {
    let response: Response;
    try {
      response = await fetch('/api/v1/auth/session', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ api_key: apiKey }),
      });
    } catch {
      return { ok: false as const, message: 'The server could not be reached.' };
    }
    if (!response.ok) {
      const message = response.status === 401 ? 'That API key is not valid, or it was revoked.' : `Sign-in failed (${response.status}).`;
      return { ok: false as const, message };
    }
    resetSubscriptions();
    const next = await loadMe();
    setState(next);
    return next.status === 'signed-in' ? { ok: true as const } : { ok: false as const, message: 'Signed in, but the server did not say who you are.' };
  }, []);

  const signOut = useCallback(async () => {
    await fetch('/api/v1/auth/session', { method: 'DELETE', credentials: 'same-origin' }).catch(() => undefined);
    resetSubscriptions();
    setState({ status: 'signed-out', notice: 'You are signed out.' });
  }, []);

  const api = useMemo<SessionApi>(() => ({ state, signIn, signOut, retry: () => setAttempt((a) => a + 1) }), [state, signIn, signOut]);
  return <SessionContext.Provider value={api}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const api = useContext(SessionContext);
  if (api === null) {
    throw new Error('useSession outside SessionProvider');
  }
  return api;
}

/** The signed-in caller; only inside the signed-in part of the app. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'signed-in') {
    throw new Error('useMe without a session');
  }
  return state.me;
}

export type Permission =
  | 'employees:read'
  | 'employees:write'
  | 'employees:erase'
  | 'enrollment:write'
  | 'enrollment:session'
  | 'recognition:submit'
  | 'recognition:read-own'
  | 'attendance:read'
  | 'attendance:write'
  | 'attendance:correct'
  | 'cameras:read'
  | 'cameras:manage'
  | 'classifier:read'
  | 'classifier:train'
  | 'system:read'
  | 'api-keys:manage';

export function useCan(): (permission: Permission) => boolean {
  const me = useMe();
  return useCallback((permission: Permission) => me.permissions.includes(permission), [me.permissions]);
}
