'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { homePathFor } from '../lib/home.ts';
import { useForm } from '../lib/use-form.ts';
import { checkEmail, checkPassword, compact } from '../lib/validation.ts';
import { useAuth } from './AuthProvider.tsx';
import { Alert, FormBanner, SubmitButton, TextField } from './Form.tsx';
import { useI18n } from './I18nProvider.tsx';

type Field = 'email' | 'password';
const FIELDS: readonly Field[] = ['email', 'password'];

export function LoginForm({ next }: { next: string | null }) {
  const { m } = useI18n();
  const auth = useAuth();
  const router = useRouter();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useForm(FIELDS, m);
  const { errors, banner, pending } = form;

  const destination = next ?? homePathFor(auth.user?.role);
  useEffect(() => {
    if (auth.status === 'authenticated') router.replace(destination);
  }, [auth.status, destination, router]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = compact<Field>({
      email: checkEmail(email, m),
      password: checkPassword(password, m, { minLength: false }),
    });
    await form.submit(
      found,
      async () => {
        await auth.signIn(email.trim(), password);
        // The effect above navigates once the session is authenticated.
      },
      { keepPending: true },
    );
  }

  const notice = auth.endReason === 'expired' ? m.session.expired : auth.endReason === 'signed-out' ? m.session.signedOut : null;

  return (
    <div className="card auth-card">
      <h1 className="page-title">{m.login.title}</h1>
      <p className="lead">{m.login.intro}</p>
      {notice && !banner ? <Alert tone="info">{notice}</Alert> : null}
      <FormBanner form={form} />
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
          inputRef={form.field('email')}
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
          inputRef={form.field('password')}
        />
        <SubmitButton pending={pending} label={m.login.submit} pendingLabel={m.login.submitting} />
      </form>
      <p className="auth-card__switch">
        {m.login.noAccount} <Link href={next ? `/signup?next=${encodeURIComponent(next)}` : '/signup'}>{m.login.signupLink}</Link>
      </p>
    </div>
  );
}
