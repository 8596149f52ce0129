'use client';

import { BUDGET_KINDS, COST_CATEGORIES, REVENUE_CATEGORIES, type BudgetKind } from '@mona/shared';
import { useId, useState, type FormEvent } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { centsToInput, checkEuros, formatCents } from '../../lib/commerce.ts';
import { describeError } from '../../lib/errors.ts';
import { format, type Messages } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { useForm, type FieldErrors, type FormState } from '../../lib/use-form.ts';
import { createBudgetLine, deleteBudgetLine, getBudget, updateBudgetLine, type VillaBudgetLine } from '../../lib/villas.ts';
import { LoadError, Loading } from '../AsyncStates.tsx';
import { Dialog } from '../Dialog.tsx';
import { Alert, FormBanner, SelectField, SubmitButton, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { StatusBadge } from '../StatusBadge.tsx';
import type { VillaTabProps } from './tabs.tsx';

function categoryName(kind: BudgetKind, category: string, m: Messages): string {
  const b = m.spark.budget;
  const names: Record<string, string> = kind === 'cost' ? b.costCategories : b.revenueCategories;
  return names[category] ?? category;
}

function lineName(line: Pick<VillaBudgetLine, 'kind' | 'category' | 'label'>, m: Messages): string {
  if (line.label.trim()) return line.label;
  return categoryName(line.kind, line.category, m);
}

const categoriesOf = (kind: BudgetKind): readonly string[] => (kind === 'cost' ? COST_CATEGORIES : REVENUE_CATEGORIES);

/** Cost and revenue lines (added, deleted, planned / actual editable in euros), totals, margin, break-even and a chart with the same numbers. */
export function BudgetTab({ villa }: VillaTabProps) {
  const { m, locale } = useI18n();
  const b = m.spark.budget;
  const budget = useAsync((signal) => getBudget(villa.id, signal), [villa.id]);
  const [editing, setEditing] = useState<VillaBudgetLine | null>(null);
  const [creating, setCreating] = useState<BudgetKind | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  if (budget.error && !budget.data) return <LoadError title={b.loadError} error={budget.error} onRetry={budget.reload} retrying={budget.loading} />;
  if (!budget.data) return <Loading message={b.loading} />;
  const data = budget.data;
  const t = data.totals;
  const money = (cents: number) => formatCents(cents, locale);

  async function remove(line: VillaBudgetLine) {
    const name = lineName(line, m);
    if (!window.confirm(format(b.confirmRemove, { line: name }))) return;
    setBusy(line.id);
    setNotice(null);
    setProblem(null);
    try {
      await deleteBudgetLine(villa.id, line.id);
      setNotice(format(b.removed, { line: name }));
      budget.reload();
    } catch (error) {
      setProblem(describeError(error, m));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="section">
      <h2 className="section-title">{b.title}</h2>
      {data.overBudget ? <Alert tone="warning">{b.overBudgetAlert}</Alert> : null}
      {budget.error ? <LoadError title={b.loadError} error={budget.error} onRetry={budget.reload} retrying={budget.loading} /> : null}
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {problem ? <Alert tone="error">{problem}</Alert> : null}
      <LinesTable
        title={b.costs}
        caption={b.costsCaption}
        lines={data.costs}
        total={t.costs}
        emptyText={b.emptyCosts}
        addLabel={b.addCost}
        onAdd={() => setCreating('cost')}
        onEdit={setEditing}
        onRemove={(line) => void remove(line)}
        busy={busy}
      />
      <LinesTable
        title={b.revenues}
        caption={b.revenuesCaption}
        lines={data.revenues}
        total={t.revenues}
        emptyText={b.emptyRevenues}
        addLabel={b.addRevenue}
        onAdd={() => setCreating('revenue')}
        onEdit={setEditing}
        onRemove={(line) => void remove(line)}
        busy={busy}
      />

      <section className="section" aria-labelledby="budget-summary-title">
        <h3 id="budget-summary-title" className="section-title">
          {b.summaryTitle}
        </h3>
        <div className="table-scroll" role="region" aria-labelledby="budget-summary-title" tabIndex={0}>
          <table className="table">
            <caption className="visually-hidden">{b.summaryCaption}</caption>
            <thead>
              <tr>
                <td />
                <th scope="col" className="amount">
                  {b.columns.planned}
                </th>
                <th scope="col" className="amount">
                  {b.columns.actual}
                </th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">{b.costs}</th>
                <td className="amount">{money(t.costs.plannedCents)}</td>
                <td className="amount">{money(t.costs.actualCents)}</td>
              </tr>
              <tr>
                <th scope="row">{b.revenues}</th>
                <td className="amount">{money(t.revenues.plannedCents)}</td>
                <td className="amount">{money(t.revenues.actualCents)}</td>
              </tr>
              <tr>
                <th scope="row">{b.margin}</th>
                <td className="amount">{money(t.margin.plannedCents)}</td>
                <td className="amount">{money(t.margin.actualCents)}</td>
              </tr>
              <tr>
                <th scope="row">{b.breakEvenMissing}</th>
                <td className="amount">{money(t.breakEven.revenueMissing.plannedCents)}</td>
                <td className="amount">{money(t.breakEven.revenueMissing.actualCents)}</td>
              </tr>
              <tr>
                <th scope="row">{b.breakEvenReached}</th>
                <td className="amount">{t.breakEven.reached.planned ? b.yes : b.no}</td>
                <td className="amount">{t.breakEven.reached.actual ? b.yes : b.no}</td>
              </tr>
            </tbody>
          </table>
        </div>
      </section>

      <BudgetChart lines={[...data.costs, ...data.revenues]} />

      <Dialog open={editing !== null} onClose={() => setEditing(null)} title={editing ? format(b.editTitle, { line: lineName(editing, m) }) : ''}>
        {editing ? (
          <EditLineForm
            villaId={villa.id}
            line={editing}
            onSaved={() => {
              setEditing(null);
              budget.reload();
            }}
          />
        ) : null}
      </Dialog>

      <Dialog open={creating !== null} onClose={() => setCreating(null)} title={b.createTitle}>
        {creating ? (
          <CreateLineForm
            villaId={villa.id}
            initialKind={creating}
            onCreated={(line) => {
              setCreating(null);
              setProblem(null);
              setNotice(format(b.added, { line: lineName(line, m) }));
              budget.reload();
            }}
          />
        ) : null}
      </Dialog>
    </div>
  );
}

function LinesTable({
  title,
  caption,
  lines,
  total,
  emptyText,
  addLabel,
  onAdd,
  onEdit,
  onRemove,
  busy,
}: {
  title: string;
  caption: string;
  lines: VillaBudgetLine[];
  total: { plannedCents: number; actualCents: number };
  emptyText: string;
  addLabel: string;
  onAdd: () => void;
  onEdit: (line: VillaBudgetLine) => void;
  onRemove: (line: VillaBudgetLine) => void;
  busy: string | null;
}) {
  const { m, locale } = useI18n();
  const b = m.spark.budget;
  const id = useId();
  return (
    <section className="section" aria-labelledby={id}>
      <div className="section-header">
        <h3 id={id} className="section-title">
          {title}
        </h3>
        <button type="button" className="button button--primary button--small" onClick={onAdd}>
          {addLabel}
        </button>
      </div>
      {lines.length === 0 ? (
        <p className="muted">{emptyText}</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby={id} tabIndex={0}>
          <table className="table">
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{b.columns.line}</th>
                <th scope="col" className="amount">
                  {b.columns.planned}
                </th>
                <th scope="col" className="amount">
                  {b.columns.actual}
                </th>
                <th scope="col">{b.columns.state}</th>
                <th scope="col">{b.columns.actions}</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => {
                const name = lineName(line, m);
                return (
                  <tr key={line.id}>
                    <th scope="row">{name}</th>
                    <td className="amount">{formatCents(line.plannedCents, locale)}</td>
                    <td className="amount">{formatCents(line.actualCents, locale)}</td>
                    <td>
                      {line.kind === 'cost' ? (
                        <StatusBadge tone={line.overBudget ? 'down' : 'ok'} label={line.overBudget ? b.overBudget : b.withinBudget} />
                      ) : null}
                    </td>
                    <td>
                      <div className="inline-actions">
                        <button
                          type="button"
                          className="button button--quiet button--small"
                          aria-label={format(b.editFor, { line: name })}
                          onClick={() => onEdit(line)}
                        >
                          {b.edit}
                        </button>
                        <button
                          type="button"
                          className="button button--quiet button--small"
                          aria-label={format(b.removeFor, { line: name })}
                          disabled={busy === line.id}
                          onClick={() => onRemove(line)}
                        >
                          {b.remove}
                        </button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{b.total}</th>
                <td className="amount">{formatCents(total.plannedCents, locale)}</td>
                <td className="amount">{formatCents(total.actualCents, locale)}</td>
                <td />
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </section>
  );
}

/** Planned vs actual per line; the tables above carry the same numbers for assistive technology. */
function BudgetChart({ lines }: { lines: VillaBudgetLine[] }) {
  const { m, locale } = useI18n();
  const b = m.spark.budget;
  const id = useId();
  const rows = lines.map((line) => ({ name: lineName(line, m), planned: line.plannedCents / 100, actual: line.actualCents / 100 }));
  const euros = (v: number) => formatCents(Math.round(v * 100), locale);
  return (
    <figure className="card chart-card" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`} className="section-title">
        {b.chartTitle}
      </figcaption>
      <p className="muted">{b.chartTableNote}</p>
      <div className="chart" aria-hidden="true">
        <ResponsiveContainer width="100%" height={320}>
          <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 48, left: 16 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
            <XAxis dataKey="name" stroke="var(--text-muted)" fontSize={11} angle={-30} textAnchor="end" interval={0} />
            <YAxis tickFormatter={euros} stroke="var(--text-muted)" fontSize={12} width={90} />
            <Tooltip formatter={(v) => euros(Number(v))} contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)' }} />
            <Legend verticalAlign="top" />
            <Bar dataKey="planned" name={b.chartPlanned} fill="#8fb2bb" />
            <Bar dataKey="actual" name={b.chartActual} fill="#1f4e5f" />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

type AmountField = 'plannedCents' | 'actualCents';
const FIELDS: readonly AmountField[] = ['plannedCents', 'actualCents'];

/** The planned and actual amounts in euros, checked the same way when a line is added or edited. */
function checkAmounts(planned: string, actual: string, m: Messages): { found: FieldErrors<AmountField>; cents: Record<AmountField, number> } {
  const p = checkEuros(planned, m);
  const a = checkEuros(actual, m);
  const found: FieldErrors<AmountField> = {};
  if ('error' in p) found.plannedCents = p.error;
  if ('error' in a) found.actualCents = a.error;
  return { found, cents: { plannedCents: 'cents' in p ? p.cents : 0, actualCents: 'cents' in a ? a.cents : 0 } };
}

function AmountFields<F extends string>({
  planned,
  actual,
  onPlanned,
  onActual,
  form,
}: {
  planned: string;
  actual: string;
  onPlanned: (value: string) => void;
  onActual: (value: string) => void;
  form: FormState<F | AmountField>;
}) {
  const { m } = useI18n();
  const b = m.spark.budget;
  return (
    <>
      <TextField
        name="planned"
        label={b.plannedLabel}
        inputMode="decimal"
        value={planned}
        onChange={onPlanned}
        error={form.errors.plannedCents}
        required
        inputRef={form.field('plannedCents')}
      />
      <TextField
        name="actual"
        label={b.actualLabel}
        inputMode="decimal"
        value={actual}
        onChange={onActual}
        error={form.errors.actualCents}
        required
        inputRef={form.field('actualCents')}
      />
    </>
  );
}

function EditLineForm({ villaId, line, onSaved }: { villaId: string; line: VillaBudgetLine; onSaved: () => void }) {
  const { m, locale } = useI18n();
  const b = m.spark.budget;
  const [planned, setPlanned] = useState(centsToInput(line.plannedCents, locale));
  const [actual, setActual] = useState(centsToInput(line.actualCents, locale));
  const form = useForm(FIELDS, m);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const { found, cents } = checkAmounts(planned, actual, m);
    await form.submit(found, async () => {
      await updateBudgetLine(villaId, line.id, cents);
      onSaved();
    });
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={form.pending}>
      <FormBanner form={form} />
      <AmountFields planned={planned} actual={actual} onPlanned={setPlanned} onActual={setActual} form={form} />
      <SubmitButton pending={form.pending} label={b.save} pendingLabel={b.saving} />
    </form>
  );
}

type CreateField = 'kind' | 'category' | 'label' | AmountField;
const CREATE_FIELDS: readonly CreateField[] = ['kind', 'category', 'label', ...FIELDS];

function CreateLineForm({ villaId, initialKind, onCreated }: { villaId: string; initialKind: BudgetKind; onCreated: (line: VillaBudgetLine) => void }) {
  const { m } = useI18n();
  const b = m.spark.budget;
  const [kind, setKind] = useState<BudgetKind>(initialKind);
  const [category, setCategory] = useState<string>(categoriesOf(initialKind)[0]!);
  const [label, setLabel] = useState('');
  const [planned, setPlanned] = useState('0');
  const [actual, setActual] = useState('0');
  const form = useForm(CREATE_FIELDS, m);
  const { errors, pending } = form;

  function changeKind(next: BudgetKind) {
    setKind(next);
    if (!categoriesOf(next).includes(category)) setCategory(categoriesOf(next)[0]!);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const { found, cents } = checkAmounts(planned, actual, m);
    await form.submit(found, async () => {
      onCreated(await createBudgetLine(villaId, { kind, category, label: label.trim(), ...cents }));
    });
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
      <FormBanner form={form} />
      <SelectField
        name="kind"
        label={b.kindLabel}
        value={kind}
        onChange={(v) => changeKind(v as BudgetKind)}
        options={BUDGET_KINDS.map((k) => ({ value: k, label: b.kinds[k] }))}
        error={errors.kind}
        selectRef={form.field('kind')}
      />
      <SelectField
        name="category"
        label={b.categoryLabel}
        value={category}
        onChange={setCategory}
        options={categoriesOf(kind).map((c) => ({ value: c, label: categoryName(kind, c, m) }))}
        error={errors.category}
        required
        selectRef={form.field('category')}
      />
      <TextField name="label" label={b.labelLabel} hint={b.labelHint} value={label} onChange={setLabel} error={errors.label} inputRef={form.field('label')} />
      <div className="form-grid">
        <AmountFields planned={planned} actual={actual} onPlanned={setPlanned} onActual={setActual} form={form} />
      </div>
      <SubmitButton pending={pending} label={b.add} pendingLabel={b.adding} />
    </form>
  );
}
