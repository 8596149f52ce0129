'use client';

import { SELF_SIGNUP_ROLES, type SelfSignupRole } from '@mona/shared';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { homePathFor } from '../lib/home.ts';
import { useForm } from '../lib/use-form.ts';
import { checkEmail, checkName, checkPassword, compact } from '../lib/validation.ts';
import { useAuth } from './AuthProvider.tsx';
import { FormBanner, RadioGroup, SubmitButton, TextField } from './Form.tsx';
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
  const form = useForm(FIELDS, m);
  const { errors, pending } = form;

  // Like after sign-in: artists land on their portal, sponsors on their sponsor space.
  const destination = next ?? homePathFor(auth.user?.role);
  useEffect(() => {
    if (auth.status === 'authenticated') router.replace(destination);
  }, [auth.status, destination, router]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = compact<Field>({
      name: checkName(name, m),
      email: checkEmail(email, m),
      password: checkPassword(password, m, { minLength: true }),
      role: role ? undefined : m.validation.roleRequired,
    });
    await form.submit(
      found,
      async () => {
        // A missing role is in `found`: the action only runs with one.
        if (role) await auth.signUp({ name: name.trim(), email: email.trim(), password, role });
      },
      { keepPending: true },
    );
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
      <FormBanner form={form} />
      <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
        <TextField
          name="name"
          label={m.fields.name}
          value={name}
          onChange={setName}
          autoComplete="name"
          required
          error={errors.name}
          inputRef={form.field('name')}
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
          inputRef={form.field('email')}
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
          inputRef={form.field('password')}
        />
        <RadioGroup
          name="role"
          legend={m.signup.roleLegend}
          options={roleOptions}
          value={role}
          onChange={setRole}
          error={errors.role}
          firstInputRef={form.field('role')}
        />
        <SubmitButton pending={pending} label={m.signup.submit} pendingLabel={m.signup.submitting} />
      </form>
      <p className="auth-card__switch">
        {m.signup.haveAccount} <Link href={next ? `/login?next=${encodeURIComponent(next)}` : '/login'}>{m.signup.loginLink}</Link>
      </p>
    </div>
  );
}
