'use client';

import type { Messages } from '../../lib/i18n.ts';
import type { SponsorProfileInput } from '../../lib/sponsor.ts';
import { TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';

/**
 * A sponsor company's fields, shared by the sponsor's own profile form and
 * the team's sponsor dialog: values, checks, the request body and the inputs.
 */
export type CompanyField = 'companyName' | 'sector' | 'contactName' | 'contactEmail' | 'website';
export const COMPANY_FIELDS: readonly CompanyField[] = ['companyName', 'sector', 'contactName', 'contactEmail', 'website'];
export type CompanyValues = Record<CompanyField, string>;

export function companyValues(
  sponsor: { companyName: string; sector: string; contactName: string; contactEmail: string | null; website: string | null } | null,
): CompanyValues {
  return {
    companyName: sponsor?.companyName ?? '',
    sector: sponsor?.sector ?? '',
    contactName: sponsor?.contactName ?? '',
    contactEmail: sponsor?.contactEmail ?? '',
    website: sponsor?.website ?? '',
  };
}

/** The obvious mistakes, caught before the API is asked (it has the final word). */
export function checkCompany(values: CompanyValues, m: Messages): Partial<Record<CompanyField, string>> {
  const p = m.sponsor.portal;
  const found: Partial<Record<CompanyField, string>> = {};
  if (!values.companyName.trim()) found.companyName = p.companyRequired;
  if (!values.sector.trim()) found.sector = p.sectorRequired;
  if (values.contactEmail.trim() && !/^\S+@\S+\.\S+$/.test(values.contactEmail.trim())) found.contactEmail = m.validation.emailInvalid;
  if (values.website.trim() && !/^https?:\/\/\S+$/i.test(values.website.trim())) found.website = m.validation.urlInvalid;
  return found;
}

/** Every field, trimmed; an empty email or website is cleared (null). */
export function companyBody(values: CompanyValues): Required<SponsorProfileInput> {
  return {
    companyName: values.companyName.trim(),
    sector: values.sector.trim(),
    contactName: values.contactName.trim(),
    contactEmail: values.contactEmail.trim() || null,
    website: values.website.trim() || null,
  };
}

export function CompanyFields({
  values,
  onChange,
  errors,
  fieldRef,
}: {
  values: CompanyValues;
  onChange: (field: CompanyField, value: string) => void;
  errors: Partial<Record<CompanyField, string>>;
  fieldRef: (field: CompanyField) => (el: HTMLElement | null) => void;
}) {
  const { m } = useI18n();
  const p = m.sponsor.portal;
  const field = (name: CompanyField, label: string, extra: { hint?: string; type?: 'email' | 'url'; autoComplete?: string } = {}) => (
    <TextField
      name={name}
      label={label}
      value={values[name]}
      onChange={(v) => onChange(name, v)}
      error={errors[name]}
      required={name === 'companyName' || name === 'sector'}
      inputRef={fieldRef(name)}
      {...extra}
    />
  );
  return (
    <>
      {field('companyName', p.companyName, { autoComplete: 'organization' })}
      {field('sector', p.sector, { hint: p.sectorHint })}
      {field('contactName', p.contactName, { autoComplete: 'name' })}
      {field('contactEmail', p.contactEmail, { type: 'email', autoComplete: 'email' })}
      {field('website', p.website, { type: 'url', hint: p.websiteHint })}
    </>
  );
}
