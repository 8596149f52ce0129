'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { format } from '../../lib/i18n.ts';
import { useForm } from '../../lib/use-form.ts';
import { checkEmail, checkName } from '../../lib/validation.ts';
import { createSponsor, updateSponsor, type CreatedSponsor, type Sponsor } from '../../lib/villas.ts';
import { CheckboxField, FormBanner, SubmitButton, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { AccountCreatedNotice } from '../TemporaryPassword.tsx';
import { CompanyFields, COMPANY_FIELDS, checkCompany, companyBody, companyValues, type CompanyField, type CompanyValues } from '../sponsor/CompanyFields.tsx';

type Field = CompanyField | 'account' | 'account.email' | 'account.name';
const FIELDS: readonly Field[] = [...COMPANY_FIELDS, 'account', 'account.email', 'account.name'];

/**
 * Creates a sponsor company (optionally with a login for its contact, whose
 * temporary password is then shown once) or edits one.
 */
export function SponsorForm({
  sponsor,
  onSaved,
  onDone,
}: {
  /** The sponsor to edit; null to create one. */
  sponsor: Sponsor | null;
  /** After every successful save, with the new row (the list follows). */
  onSaved: (saved: Sponsor, notice: string) => void;
  /** Closes the dialog: right after saving, or once the temporary password has been read. */
  onDone: () => void;
}) {
  const { m } = useI18n();
  const a = m.spark.sponsorAdmin;
  const [values, setValues] = useState<CompanyValues>(() => companyValues(sponsor));
  const [withLogin, setWithLogin] = useState(false);
  const [loginEmail, setLoginEmail] = useState('');
  const [loginName, setLoginName] = useState('');
  const [created, setCreated] = useState<CreatedSponsor | null>(null);
  const form = useForm(FIELDS, m);
  const { errors, pending } = form;
  const resultRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (created) resultRef.current?.focus();
  }, [created]);

  function toggleLogin(checked: boolean) {
    setWithLogin(checked);
    // The contact is the usual account holder: start from what was typed.
    if (checked) {
      setLoginEmail((current) => current || values.contactEmail.trim());
      setLoginName((current) => current || values.contactName.trim());
    }
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = checkCompany(values, m);
    if (withLogin) {
      const email = checkEmail(loginEmail, m);
      const name = checkName(loginName, m);
      if (email) found['account.email'] = email;
      if (name) found['account.name'] = name;
    }
    await form.submit(found, async () => {
      const body = companyBody(values);
      if (sponsor) {
        const saved = await updateSponsor(sponsor.id, body);
        onSaved(saved, format(a.saved, { company: saved.companyName }));
        onDone();
        return;
      }
      const result = await createSponsor(withLogin ? { ...body, account: { email: loginEmail.trim(), name: loginName.trim() } } : body);
      // The temporary password stays in this dialog only.
      const { account, ...company } = result;
      if (account) {
        onSaved(company, format(a.createdWithLogin, { company: company.companyName, email: account.user.email }));
        setCreated(result);
      } else {
        onSaved(company, format(a.created, { company: company.companyName }));
        onDone();
      }
    });
  }

  if (created?.account) {
    return (
      <AccountCreatedNotice
        title={format(a.createdWithLogin, { company: created.companyName, email: created.account.user.email })}
        temporaryPassword={created.account.temporaryPassword}
        resultRef={resultRef}
        onDismiss={onDone}
        dismissLabel={a.done}
      />
    );
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
      <FormBanner form={form} />
      <CompanyFields values={values} onChange={(name, v) => setValues((s) => ({ ...s, [name]: v }))} errors={errors} fieldRef={form.field} />
      {sponsor ? null : (
        <>
          <CheckboxField
            name="createLogin"
            label={a.fields.createLogin}
            hint={a.fields.createLoginHint}
            checked={withLogin}
            onChange={toggleLogin}
            error={errors.account}
            inputRef={form.field('account')}
          />
          {withLogin ? (
            <div className="form-grid">
              <TextField
                name="loginEmail"
                type="email"
                label={a.fields.loginEmail}
                value={loginEmail}
                onChange={setLoginEmail}
                autoComplete="off"
                spellCheck={false}
                required
                error={errors['account.email']}
                inputRef={form.field('account.email')}
              />
              <TextField
                name="loginName"
                label={a.fields.loginName}
                value={loginName}
                onChange={setLoginName}
                autoComplete="off"
                required
                error={errors['account.name']}
                inputRef={form.field('account.name')}
              />
            </div>
          ) : null}
        </>
      )}
      <SubmitButton pending={pending} label={sponsor ? a.save : a.create} pendingLabel={sponsor ? a.saving : a.creating} />
    </form>
  );
}
