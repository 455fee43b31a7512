// Sign in with an API key. The key goes to the server once and is exchanged
// for an HttpOnly session cookie; the page never stores it.
import { useState, type FormEvent, type ReactElement } from 'react';
import { Icon } from '../components/icons';
import { Button, Field, Notice } from '../components/ui';
import { useSession } from '../lib/session';

export function SignInPage({ notice }: { notice?: string | undefined }): ReactElement {
  const { signIn } = useSession();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (key.trim() === '') {
      setError('Enter your API key.');
      return;
    }
    setBusy(true);
    setError(undefined);
    const result = await signIn(key.trim());
    setBusy(false);
    if (!result.ok) {
      setError(result.message);
    }
  };

  return (
    <div className="center-screen sign-in-screen">
      <form className="card sign-in-card" onSubmit={(e) => void submit(e)} noValidate>
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">
            <Icon name="enroll" size={28} />
          </span>
          <h1>Face attendance</h1>
        </div>
        {notice === undefined ? null : <Notice>{notice}</Notice>}
        <Field label="API key" hint="Ask your administrator for a key. It is sent once and not kept in the browser." error={error}>
          {(props) => (
            <input
              {...props}
              type="password"
              name="api_key"
              autoComplete="current-password"
              value={key}
              onChange={(e) => setKey(e.target.value)}
              autoFocus
              spellCheck={false}
            />
          )}
        </Field>
        <Button type="submit" variant="primary" busy={busy} className="btn-block">
          Sign in
        </Button>
      </form>
    </div>
  );
}
