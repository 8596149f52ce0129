'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { splitErrors } from '../lib/errors.ts';
import { homePathFor } from '../lib/home.ts';
import { useFocusFirstError } from '../lib/use-focus-error.ts';
import { checkEmail, checkPassword, compact } from '../lib/validation.ts';
import { useAuth } from './AuthProvider.tsx';
import { Alert, SubmitButton, TextField } from './Form.tsx';
import { useI18n } from './I18nProvider.tsx';

type Field = 'email' | 'password';
const FIELDS: readonly Field[] = ['email', 'password'];

export function LoginForm({ next }: { next: string | null }) {
  const { m } = useI18n();
  const auth = useAuth();
  const router = useRouter();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const fieldRefs = useRef<Partial<Record<Field, HTMLInputElement | null>>>({});
  const bannerRef = useRef<HTMLDivElement>(null);
  useFocusFirstError(attempt, FIELDS, errors, fieldRefs, bannerRef);

  const destination = next ?? homePathFor(auth.user?.role);
  useEffect(() => {
    if (auth.status === 'authenticated') router.replace(destination);
  }, [auth.status, destination, router]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const found = compact<Field>({
      email: checkEmail(email, m),
      password: checkPassword(password, m, { minLength: false }),
    });
    setErrors(found);
    setBanner(null);
    if (Object.keys(found).length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    setPending(true);
    try {
      await auth.signIn(email.trim(), password);
      // The effect above navigates once the session is authenticated.
    } catch (error) {
      const split = splitErrors(error, FIELDS, m);
      setErrors(split.fieldErrors);
      setBanner(split.banner);
      setPending(false);
      setAttempt((n) => n + 1);
    }
  }

  const notice = auth.endReason === 'expired' ? m.session.expired : auth.endReason === 'signed-out' ? m.session.signedOut : null;

  return (
    <div className="card auth-card">
      <h1 className="page-title">{m.login.title}</h1>
      <p className="lead">{m.login.intro}</p>
      {notice && !banner ? <Alert tone="info">{notice}</Alert> : null}
      {banner ? (
        <Alert alertRef={bannerRef} tone="error">
          {banner}
        </Alert>
      ) : null}
      <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
        <TextField
          name="email"
          type="email"
          label={m.fields.email}
          value={email}
          onChange={setEmail}
          autoComplete="email"
          required
          spellCheck={false}
          error={errors.email}
          inputRef={(el) => {
            fieldRefs.current.email = el;
          }}
        />
        <TextField
          name="password"
          type="password"
          label={m.fields.password}
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
          required
          error={errors.password}
          inputRef={(el) => {
            fieldRefs.current.password = el;
          }}
        />
        <SubmitButton pending={pending} label={m.login.submit} pendingLabel={m.login.submitting} />
      </form>
      <p className="auth-card__switch">
        {m.login.noAccount} <Link href={next ? `/signup?next=${encodeURIComponent(next)}` : '/signup'}>{m.login.signupLink}</Link>
      </p>
    </div>
  );
}
