import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, type Role, refreshSession, session, type User, unwrap } from './api/client';

interface Auth {
  user: User | null;
  ready: boolean;
  signIn(username: string, password: string): Promise<void>;
  signInWithGoogle(idToken: string): Promise<void>;
  signOut(): Promise<void>;
  has(...roles: Role[]): boolean;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [ready, setReady] = useState(false);
  const qc = useQueryClient();

  useEffect(() => {
    // A stored refresh token resumes the session after a reload.
    (async () => {
      if (session.refresh && (await refreshSession())) {
        const me = await api.GET('/api/v1/auth/me');
        if (me.data) setUser(me.data.data);
      }
      setReady(true);
    })();
    return session.onEnded(() => {
      setUser(null);
      qc.clear();
    });
  }, [qc]);

  const signIn = useCallback(async (username: string, password: string) => {
    const body = unwrap(await api.POST('/api/v1/auth/login', { body: { username, password } }));
    session.set(body.data.access_token, body.data.refresh_token);
    setUser(body.data.user);
  }, []);

  const signInWithGoogle = useCallback(async (idToken: string) => {
    const body = unwrap(await api.POST('/api/v1/auth/oidc/google', { body: { id_token: idToken } }));
    session.set(body.data.access_token, body.data.refresh_token);
    setUser(body.data.user);
  }, []);

  const signOut = useCallback(async () => {
    await api.POST('/api/v1/auth/logout').catch(() => undefined);
    session.clear();
    setUser(null);
    qc.clear();
  }, [qc]);

  const value = useMemo<Auth>(
    () => ({
      user,
      ready,
      signIn,
      signInWithGoogle,
      signOut,
      has: (...roles) => Boolean(user?.roles.some((r) => roles.includes(r.role))),
    }),
    [user, ready, signIn, signInWithGoogle, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const a = useContext(AuthContext);
  if (!a) throw new Error('useAuth outside AuthProvider');
  return a;
}
