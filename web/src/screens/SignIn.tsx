import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client';
import { useAuth } from '../auth';
import { t } from '../i18n/en';
import { Button, ErrorAlert, InputField } from '../ui';

interface GoogleId {
  accounts: {
    id: {
      initialize(o: { client_id: string; callback: (r: { credential: string }) => void }): void;
      prompt(): void;
    };
  };
}

export function SignIn() {
  const { signIn, signInWithGoogle } = useAuth();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // The Google button appears only when the deployment configured Google sign-in.
  const providers = useQuery({
    queryKey: ['auth-providers'],
    queryFn: async () => unwrap(await api.GET('/api/v1/auth/providers')).data,
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(username.trim(), password);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const google = providers.data?.google;
  const startGoogle = () => {
    if (!google) return;
    const run = () => {
      const g = (window as unknown as { google?: GoogleId }).google;
      g?.accounts.id.initialize({
        client_id: google.client_id,
        callback: (r) => void signInWithGoogle(r.credential).catch(setError),
      });
      g?.accounts.id.prompt();
    };
    if ((window as unknown as { google?: GoogleId }).google) return run();
    const s = document.createElement('script');
    s.src = 'https://accounts.google.com/gsi/client';
    s.onload = run;
    document.head.append(s);
  };

  return (
    <main id="main" className="signin">
      <form onSubmit={submit} className="card" aria-labelledby="signin-title" noValidate>
        <h1 id="signin-title">
          {t.app.name}: {t.signIn.title}
        </h1>
        <ErrorAlert error={error} />
        <InputField
          label={t.signIn.username}
          name="username"
          autoComplete="username"
          required
          value={username}
          onValue={(v) => setUsername(v)}
        />
        <InputField
          label={t.signIn.password}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onValue={(v) => setPassword(v)}
        />
        <Button type="submit" busy={busy} disabled={busy || !username || !password}>
          {busy ? t.signIn.busy : t.signIn.submit}
        </Button>
        {google && (
          <Button variant="secondary" onClick={startGoogle}>
            {t.signIn.google}
          </Button>
        )}
      </form>
    </main>
  );
}
