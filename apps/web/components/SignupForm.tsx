'use client';

import { SELF_SIGNUP_ROLES, type SelfSignupRole } from '@mona/shared';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { splitErrors } from '../lib/errors.ts';
import { homePathFor } from '../lib/home.ts';
import { useFocusFirstError } from '../lib/use-focus-error.ts';
import { checkEmail, checkName, checkPassword, compact } from '../lib/validation.ts';
import { useAuth } from './AuthProvider.tsx';
import { Alert, RadioGroup, SubmitButton, TextField } from './Form.tsx';
import { useI18n } from './I18nProvider.tsx';

type Field = 'name' | 'email' | 'password' | 'role';
const FIELDS: readonly Field[] = ['name', 'email', 'password', 'role'];

export function SignupForm({ next }: { next: string | null }) {
  const { m } = useI18n();
  const auth = useAuth();
  const router = useRouter();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<SelfSignupRole | ''>('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const fieldRefs = useRef<Partial<Record<Field, HTMLInputElement | null>>>({});
  const bannerRef = useRef<HTMLDivElement>(null);
  useFocusFirstError(attempt, FIELDS, errors, fieldRefs, bannerRef);

  // Like after sign-in: artists land on their portal, sponsors on their sponsor space.
  const destination = next ?? homePathFor(auth.user?.role);
  useEffect(() => {
    if (auth.status === 'authenticated') router.replace(destination);
  }, [auth.status, destination, router]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const found = compact<Field>({
      name: checkName(name, m),
      email: checkEmail(email, m),
      password: checkPassword(password, m, { minLength: true }),
      role: role ? undefined : m.validation.roleRequired,
    });
    setErrors(found);
    setBanner(null);
    if (Object.keys(found).length > 0 || !role) {
      setAttempt((n) => n + 1);
      return;
    }
    setPending(true);
    try {
      await auth.signUp({ name: name.trim(), email: email.trim(), password, role });
    } catch (error) {
      const split = splitErrors(error, FIELDS, m);
      setErrors(split.fieldErrors);
      setBanner(split.banner);
      setPending(false);
      setAttempt((n) => n + 1);
    }
  }

  const roleOptions = SELF_SIGNUP_ROLES.map((value) => ({
    value,
    label: m.signup.roleOptions[value],
    description: m.signup.roleDescriptions[value],
  }));

  return (
    <div className="card auth-card">
      <h1 className="page-title">{m.signup.title}</h1>
      <p className="lead">{m.signup.intro}</p>
      {banner ? (
        <Alert alertRef={bannerRef} tone="error">
          {banner}
        </Alert>
      ) : null}
      <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
        <TextField
          name="name"
          label={m.fields.name}
          value={name}
          onChange={setName}
          autoComplete="name"
          required
          error={errors.name}
          inputRef={(el) => {
            fieldRefs.current.name = el;
          }}
        />
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
          hint={m.signup.passwordHint}
          value={password}
          onChange={setPassword}
          autoComplete="new-password"
          required
          error={errors.password}
          inputRef={(el) => {
            fieldRefs.current.password = el;
          }}
        />
        <RadioGroup
          name="role"
          legend={m.signup.roleLegend}
          options={roleOptions}
          value={role}
          onChange={setRole}
          error={errors.role}
          firstInputRef={(el) => {
            fieldRefs.current.role = el;
          }}
        />
        <SubmitButton pending={pending} label={m.signup.submit} pendingLabel={m.signup.submitting} />
      </form>
      <p className="auth-card__switch">
        {m.signup.haveAccount} <Link href={next ? `/login?next=${encodeURIComponent(next)}` : '/login'}>{m.signup.loginLink}</Link>
      </p>
    </div>
  );
}
