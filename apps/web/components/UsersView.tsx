'use client';

import { STAFF_CREATED_ROLES } from '@mona/shared';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { createUser, listUsers, type CreatedUser, type StaffCreatedRole, type UserList } from '../lib/api.ts';
import { describeError } from '../lib/errors.ts';
import { formatDate, formatDateTime } from '../lib/format.ts';
import { format, plural } from '../lib/i18n.ts';
import { useForm } from '../lib/use-form.ts';
import { checkEmail, checkName, checkPassword, compact } from '../lib/validation.ts';
import { useAuth } from './AuthProvider.tsx';
import { Alert, FormBanner, RadioGroup, SubmitButton, TextField } from './Form.tsx';
import { useI18n } from './I18nProvider.tsx';
import { AccountCreatedNotice } from './TemporaryPassword.tsx';

export function UsersView() {
  const { m } = useI18n();
  const { user } = useAuth();

  if (user?.role !== 'admin') {
    return (
      <div className="page">
        <h1 className="page-title">{m.users.forbiddenTitle}</h1>
        <Alert tone="warning">{m.users.forbiddenMessage}</Alert>
      </div>
    );
  }
  return <AdminUsers />;
}

function AdminUsers() {
  const { m } = useI18n();
  const [users, setUsers] = useState<UserList | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    listUsers(controller.signal).then(
      (result) => {
        setUsers(result.users);
        setLoadError(null);
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setLoadError(error);
      },
    );
    return () => controller.abort();
  }, [reload]);

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{m.users.title}</h1>
          <p className="lead">{m.users.intro}</p>
        </div>
      </div>
      <div className="users-layout">
        <CreateUserForm onCreated={(created) => setUsers((list) => (list ? [created.user, ...list] : list))} />
        <UsersTable
          users={users}
          error={loadError}
          onRetry={() => {
            setLoadError(null);
            setReload((n) => n + 1);
          }}
        />
      </div>
    </div>
  );
}

function UsersTable({ users, error, onRetry }: { users: UserList | null; error: unknown; onRetry: () => void }) {
  const { m, locale } = useI18n();
  return (
    <section className="card section" aria-labelledby="users-list-title">
      <h2 id="users-list-title" className="section-title">
        {m.users.listTitle}
        {users ? <span className="section-title__count"> · {plural(locale, m.users.count, users.length)}</span> : null}
      </h2>
      {error ? (
        <Alert tone="error" title={m.users.loadError}>
          <p>{describeError(error, m)}</p>
          <button type="button" className="button button--secondary alert__action" onClick={onRetry}>
            {m.common.retry}
          </button>
        </Alert>
      ) : null}
      {!users && !error ? (
        <p role="status" className="loading-line">
          <span className="spinner" aria-hidden="true" />
          {m.users.loading}
        </p>
      ) : null}
      {users && users.length === 0 ? <p>{m.users.empty}</p> : null}
      {users && users.length > 0 ? (
        <div className="table-scroll" role="region" aria-labelledby="users-list-title" tabIndex={0}>
          <table className="table">
            <caption className="visually-hidden">{m.users.listCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{m.users.columns.name}</th>
                <th scope="col">{m.users.columns.email}</th>
                <th scope="col">{m.users.columns.role}</th>
                <th scope="col">{m.users.columns.createdAt}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id}>
                  <th scope="row">{user.name}</th>
                  <td className="break">{user.email}</td>
                  <td>
                    <span className={`role-tag role-tag--${user.role}`}>{m.roles[user.role]}</span>
                  </td>
                  <td>
                    <time dateTime={user.createdAt} title={formatDateTime(user.createdAt, locale)}>
                      {formatDate(user.createdAt, locale)}
                    </time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

type Field = 'name' | 'email' | 'role' | 'password';
const FIELDS: readonly Field[] = ['name', 'email', 'role', 'password'];

function CreateUserForm({ onCreated }: { onCreated: (created: CreatedUser) => void }) {
  const { m } = useI18n();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<StaffCreatedRole | ''>('staff');
  const [password, setPassword] = useState('');
  const [created, setCreated] = useState<CreatedUser | null>(null);
  const form = useForm(FIELDS, m);
  const { errors, pending } = form;
  const resultRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (created) resultRef.current?.focus();
  }, [created]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const found = compact<Field>({
      name: checkName(name, m),
      email: checkEmail(email, m),
      role: role ? undefined : m.validation.roleRequired,
      password: password ? checkPassword(password, m, { minLength: true }) : undefined,
    });
    setCreated(null);
    await form.submit(found, async () => {
      // A missing role is in `found`: the action only runs with one.
      if (!role) return;
      const result = await createUser({ name: name.trim(), email: email.trim(), role, ...(password ? { password } : {}) });
      setCreated(result);
      onCreated(result);
      setName('');
      setEmail('');
      setPassword('');
    });
  }

  return (
    <section className="card section" aria-labelledby="create-user-title">
      <h2 id="create-user-title" className="section-title">
        {m.users.createTitle}
      </h2>
      <p className="muted">{m.users.createIntro}</p>
      {created ? (
        <AccountCreatedNotice
          title={format(m.users.created, { email: created.user.email })}
          temporaryPassword={created.temporaryPassword}
          resultRef={resultRef}
          onDismiss={() => setCreated(null)}
        />
      ) : null}
      <FormBanner form={form} />
      <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
        <TextField
          name="name"
          label={m.fields.name}
          value={name}
          onChange={setName}
          autoComplete="off"
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
          autoComplete="off"
          required
          spellCheck={false}
          error={errors.email}
          inputRef={form.field('email')}
        />
        <RadioGroup
          name="role"
          legend={m.users.roleLegend}
          options={STAFF_CREATED_ROLES.map((value) => ({ value, label: m.users.roleOptions[value] }))}
          value={role}
          onChange={setRole}
          error={errors.role}
          firstInputRef={form.field('role')}
        />
        <TextField
          name="password"
          type="password"
          label={m.users.passwordOptional}
          hint={m.users.passwordHint}
          value={password}
          onChange={setPassword}
          autoComplete="new-password"
          error={errors.password}
          inputRef={form.field('password')}
        />
        <SubmitButton pending={pending} label={m.users.submit} pendingLabel={m.users.submitting} />
      </form>
    </section>
  );
}
