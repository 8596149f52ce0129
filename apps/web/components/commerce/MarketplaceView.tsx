'use client';

import './commerce.css';
import { BLOCK_FORMATS, MISSION_STATUSES, type BlockFormat, type MissionStatus } from '@mona/shared';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent, type ReactNode } from 'react';
import {
  blockPrice,
  centsToInput,
  checkEuros,
  describeTransitionConflict,
  formatCents,
  listBlocks,
  listMissions,
  requestBlock,
  requestOwnBlock,
  updateBlock,
  type BlockChanges,
  type Mission,
  type MissionDetail,
  type ServiceBlock,
} from '../../lib/commerce.ts';
import { format, plural } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { useForm } from '../../lib/use-form.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { useAuth } from '../AuthProvider.tsx';
import { Dialog } from '../Dialog.tsx';
import { Alert, CheckboxField, FormBanner, RadioGroup, SelectField, SubmitButton, TextAreaField, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { RequireRole, TEAM_ROLES } from '../RequireRole.tsx';
import { ArtistPicker, type PickedArtist } from './ArtistPicker.tsx';
import { DateText, MissionStatusPill, StatusPill } from './shared.tsx';

/** /marketplace: the service blocks and every request / mission (team); an admin changes the prices. */
export function MarketplaceView() {
  return (
    <RequireRole roles={TEAM_ROLES}>
      <TeamMarketplace />
    </RequireRole>
  );
}

function TeamMarketplace() {
  const { m } = useI18n();
  const { user } = useAuth();
  const k = m.commerce.marketplace;
  const router = useRouter();
  const isAdmin = user?.role === 'admin';
  const blocks = useAsync((signal) => listBlocks(true, signal), []);
  const [requesting, setRequesting] = useState<ServiceBlock | null>(null);
  const [editing, setEditing] = useState<ServiceBlock | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{k.title}</h1>
          <p className="lead">{isAdmin ? k.introAdmin : k.intro}</p>
        </div>
      </div>
      {saved ? <Alert tone="success">{saved}</Alert> : null}
      <section className="card section" aria-labelledby="blocks-title">
        <h2 id="blocks-title" className="section-title">
          {k.blocksTitle}
        </h2>
        {blocks.error && !blocks.data ? <LoadError title={k.blocksLoadError} error={blocks.error} onRetry={blocks.reload} /> : null}
        {!blocks.data && !blocks.error ? <Loading message={k.blocksLoading} /> : null}
        {blocks.data && blocks.data.length === 0 ? <EmptyState title={k.blocksEmpty} /> : null}
        {blocks.data && blocks.data.length > 0 ? (
          <BlocksTable
            blocks={blocks.data}
            titleId="blocks-title"
            renderActions={(block) => (
              <>
                <button
                  type="button"
                  className="button button--secondary button--small"
                  disabled={!block.active}
                  onClick={() => {
                    setSaved(null);
                    setRequesting(block);
                  }}
                >
                  {k.request}
                  <span className="visually-hidden"> {block.name}</span>
                </button>
                {isAdmin ? (
                  <button
                    type="button"
                    className="button button--quiet button--small"
                    onClick={() => {
                      setSaved(null);
                      setEditing(block);
                    }}
                  >
                    {k.editPrices}
                    <span className="visually-hidden"> {block.name}</span>
                  </button>
                ) : null}
              </>
            )}
          />
        ) : null}
      </section>

      <MissionsSection titleId="missions-title" title={k.missionsTitle} blocks={blocks.data ?? []} showArtist />

      <Dialog open={requesting !== null} onClose={() => setRequesting(null)} title={requesting ? format(k.requestTitle, { name: requesting.name }) : ''} wide>
        {requesting ? (
          <RequestBlockForm
            blocks={[requesting]}
            forArtist
            onCreated={(mission) => {
              setRequesting(null);
              router.push(`/marketplace/missions/${mission.id}`);
            }}
          />
        ) : null}
      </Dialog>
      <Dialog open={editing !== null} onClose={() => setEditing(null)} title={editing ? format(k.editTitle, { name: editing.name }) : ''} wide>
        {editing ? (
          <BlockForm
            block={editing}
            onSaved={(next) => {
              blocks.setData((list) => (list ? list.map((x) => (x.id === next.id ? next : x)) : list));
              setEditing(null);
              setSaved(format(k.saved, { name: next.name }));
            }}
          />
        ) : null}
      </Dialog>
    </div>
  );
}

/** The blocks with their three prices; `renderActions` adds buttons per block. */
export function BlocksTable({
  blocks,
  titleId,
  renderActions,
}: {
  blocks: readonly ServiceBlock[];
  titleId: string;
  renderActions?: (block: ServiceBlock) => ReactNode;
}) {
  const { m, locale } = useI18n();
  const k = m.commerce.marketplace;
  return (
    <div className="table-scroll" role="region" aria-labelledby={titleId} tabIndex={0}>
      <table className="table">
        <caption className="visually-hidden">{k.blocksCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{k.columns.block}</th>
            {BLOCK_FORMATS.map((f) => (
              <th key={f} scope="col" className="amount">
                {m.commerce.formats[f]}
              </th>
            ))}
            {renderActions ? <th scope="col">{k.columns.actions}</th> : null}
          </tr>
        </thead>
        <tbody>
          {blocks.map((block) => (
            <tr key={block.id}>
              <th scope="row">
                <span>{block.name}</span> {block.active ? null : <StatusPill tone="neutral" label={k.inactive} />}
                {block.description ? <p className="muted">{block.description}</p> : null}
              </th>
              {BLOCK_FORMATS.map((f) => (
                <td key={f} className="amount">
                  {formatCents(blockPrice(block, f), locale)}
                  {f === 'monthly' ? <span className="muted"> {k.perMonth}</span> : null}
                </td>
              ))}
              {renderActions ? (
                <td>
                  <div className="inline-actions">{renderActions(block)}</div>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type RequestField = 'artistId' | 'blockId' | 'format' | 'brief';
const REQUEST_FIELDS: readonly RequestField[] = ['artistId', 'blockId', 'format', 'brief'];

/**
 * A block request. `forArtist`: the team picks the artist; otherwise the
 * signed-in artist requests for themself (POST /api/me/marketplace/requests).
 */
export function RequestBlockForm({
  blocks,
  forArtist,
  onCreated,
}: {
  blocks: readonly ServiceBlock[];
  forArtist: boolean;
  onCreated: (mission: MissionDetail) => void;
}) {
  const { m, locale } = useI18n();
  const k = m.commerce.marketplace;
  const [artist, setArtist] = useState<PickedArtist | null>(null);
  const [blockId, setBlockId] = useState(blocks.length === 1 ? blocks[0]!.id : '');
  const [fmt, setFmt] = useState<BlockFormat | ''>('');
  const [brief, setBrief] = useState('');
  const form = useForm(REQUEST_FIELDS, m);
  const { errors, pending } = form;
  const block = blocks.find((b) => b.id === blockId);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<Record<RequestField, string>> = {};
    if (forArtist && !artist) found.artistId = m.commerce.orders.artistRequired;
    if (!block) found.blockId = k.blockRequired;
    if (!fmt) found.format = k.formatRequired;
    await form.submit(
      found,
      async () => {
        // A missing block or format is in `found`: the action only runs with both.
        if (!block || !fmt) return;
        const body = { blockId: block.id, format: fmt, ...(brief.trim() ? { brief: brief.trim() } : {}) };
        onCreated(forArtist && artist ? await requestBlock(artist.id, body) : await requestOwnBlock(body));
      },
      { conflict: (error) => describeTransitionConflict(error, m, 'mission') },
    );
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
      <FormBanner form={form} />
      {forArtist ? <ArtistPicker value={artist} onChange={setArtist} error={errors.artistId} inputRef={form.field('artistId')} /> : null}
      {blocks.length > 1 ? (
        <SelectField
          name="blockId"
          label={k.blockLabel}
          value={blockId}
          required
          onChange={(v) => setBlockId(v)}
          error={errors.blockId}
          options={[{ value: '', label: k.chooseBlock }, ...blocks.map((b) => ({ value: b.id, label: b.name }))]}
          selectRef={form.field('blockId')}
        />
      ) : null}
      <RadioGroup
        name="format"
        legend={k.formatLegend}
        value={fmt}
        onChange={setFmt}
        error={errors.format}
        options={BLOCK_FORMATS.map((f) => ({
          value: f,
          label: block
            ? `${m.commerce.formats[f]} — ${formatCents(blockPrice(block, f), locale)}${f === 'monthly' ? ` ${k.perMonth}` : ''}`
            : m.commerce.formats[f],
          description: k.formatDescriptions[f],
        }))}
        firstInputRef={form.field('format')}
      />
      <TextAreaField name="brief" label={k.briefLabel} hint={k.briefHint} value={brief} onChange={setBrief} maxLength={5000} error={errors.brief} />
      <SubmitButton pending={pending} label={k.submitRequest} pendingLabel={k.submittingRequest} />
    </form>
  );
}

type BlockField = 'name' | 'description' | 'diagnosticCents' | 'oneShotCents' | 'monthlyCents' | 'active';
const BLOCK_FIELDS: readonly BlockField[] = ['name', 'description', 'diagnosticCents', 'oneShotCents', 'monthlyCents', 'active'];
const PRICE_FIELD: Record<BlockFormat, 'diagnosticCents' | 'oneShotCents' | 'monthlyCents'> = {
  diagnostic: 'diagnosticCents',
  one_shot: 'oneShotCents',
  monthly: 'monthlyCents',
};

function BlockForm({ block, onSaved }: { block: ServiceBlock; onSaved: (next: ServiceBlock) => void }) {
  const { m, locale } = useI18n();
  const k = m.commerce.marketplace;
  const [name, setName] = useState(block.name);
  const [description, setDescription] = useState(block.description);
  const [prices, setPrices] = useState<Record<BlockFormat, string>>({
    diagnostic: centsToInput(block.diagnosticCents, locale),
    one_shot: centsToInput(block.oneShotCents, locale),
    monthly: centsToInput(block.monthlyCents, locale),
  });
  const [active, setActive] = useState(block.active);
  const form = useForm(BLOCK_FIELDS, m);
  const { errors, pending } = form;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<Record<BlockField, string>> = {};
    if (!name.trim()) found.name = m.commerce.offers.nameRequired;
    const cents: Partial<Record<BlockFormat, number>> = {};
    for (const f of BLOCK_FORMATS) {
      const checked = checkEuros(prices[f], m);
      if ('error' in checked) found[PRICE_FIELD[f]] = checked.error;
      else cents[f] = checked.cents;
    }
    await form.submit(found, async () => {
      const changes: BlockChanges = {};
      if (name.trim() !== block.name) changes.name = name.trim();
      if (description.trim() !== block.description) changes.description = description.trim();
      for (const f of BLOCK_FORMATS) {
        const value = cents[f];
        if (value !== undefined && value !== blockPrice(block, f)) changes[PRICE_FIELD[f]] = value;
      }
      if (active !== block.active) changes.active = active;
      onSaved(Object.keys(changes).length > 0 ? await updateBlock(block.id, changes) : block);
    });
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
      <FormBanner form={form} />
      <TextField name="name" label={m.commerce.offers.nameLabel} value={name} onChange={setName} required error={errors.name} inputRef={form.field('name')} />
      <fieldset className="fieldset">
        <legend>{k.pricesLegend}</legend>
        <p className="muted">{m.commerce.money.hint}</p>
        <div className="form-grid">
          {BLOCK_FORMATS.map((f) => (
            <TextField
              key={f}
              name={PRICE_FIELD[f]}
              label={format(k.priceLabel, { format: m.commerce.formats[f] })}
              value={prices[f]}
              onChange={(v) => setPrices((p) => ({ ...p, [f]: v }))}
              inputMode="decimal"
              required
              error={errors[PRICE_FIELD[f]]}
              inputRef={form.field(PRICE_FIELD[f])}
            />
          ))}
        </div>
      </fieldset>
      <TextAreaField
        name="description"
        label={m.commerce.offers.descriptionLabel}
        value={description}
        onChange={setDescription}
        maxLength={2000}
        error={errors.description}
      />
      <CheckboxField name="active" label={k.activeLabel} hint={k.activeHint} checked={active} onChange={setActive} error={errors.active} />
      <p className="muted">{k.pricesNote}</p>
      <SubmitButton pending={pending} label={m.commerce.common.save} pendingLabel={m.commerce.common.saving} />
    </form>
  );
}

/** Missions with a status filter (and a block filter when blocks are given), each linking to its page. */
export function MissionsSection({
  titleId,
  title,
  blocks = [],
  showArtist = false,
  showExpert = true,
  emptyText,
  reloadKey = 0,
}: {
  titleId: string;
  title: string;
  blocks?: readonly ServiceBlock[];
  showArtist?: boolean;
  showExpert?: boolean;
  emptyText?: string;
  reloadKey?: number;
}) {
  const { m, locale } = useI18n();
  const k = m.commerce.marketplace;
  const [status, setStatus] = useState<MissionStatus | ''>('');
  const [blockId, setBlockId] = useState('');
  const missions = useAsync((signal) => listMissions({ ...(status ? { status } : {}), ...(blockId ? { blockId } : {}) }, signal), [status, blockId, reloadKey]);
  const filtered = Boolean(status || blockId);

  return (
    <section className="card section" aria-labelledby={titleId}>
      <h2 id={titleId} className="section-title">
        {title}
        {missions.data ? <span className="section-title__count"> · {plural(locale, k.missionCount, missions.data.length)}</span> : null}
      </h2>
      <div className="filters__grid filters__grid--compact">
        <SelectField
          name="missionStatus"
          label={k.statusFilter}
          value={status}
          onChange={(v) => setStatus(v as MissionStatus | '')}
          options={[{ value: '', label: m.commerce.common.allStatuses }, ...MISSION_STATUSES.map((s) => ({ value: s, label: m.commerce.missionStatus[s] }))]}
        />
        {blocks.length > 0 ? (
          <SelectField
            name="missionBlock"
            label={k.blockFilter}
            value={blockId}
            onChange={setBlockId}
            options={[{ value: '', label: k.allBlocks }, ...blocks.map((b) => ({ value: b.id, label: b.name }))]}
          />
        ) : null}
      </div>
      {missions.error ? <LoadError title={k.missionsLoadError} error={missions.error} onRetry={missions.reload} /> : null}
      {missions.loading && !missions.data ? <Loading message={k.missionsLoading} /> : null}
      {missions.data && missions.data.length === 0 ? (
        <EmptyState
          title={filtered ? k.missionsEmptyFiltered : (emptyText ?? k.missionsEmpty)}
          actions={
            filtered ? (
              <button
                type="button"
                className="button button--secondary"
                onClick={() => {
                  setStatus('');
                  setBlockId('');
                }}
              >
                {m.commerce.orders.clearFilters}
              </button>
            ) : undefined
          }
        />
      ) : null}
      {missions.data && missions.data.length > 0 ? (
        <MissionsTable missions={missions.data} titleId={titleId} showArtist={showArtist} showExpert={showExpert} />
      ) : null}
    </section>
  );
}

function MissionsTable({
  missions,
  titleId,
  showArtist,
  showExpert,
}: {
  missions: readonly Mission[];
  titleId: string;
  showArtist: boolean;
  showExpert: boolean;
}) {
  const { m, locale } = useI18n();
  const k = m.commerce.marketplace;
  return (
    <div className="table-scroll" role="region" aria-labelledby={titleId} tabIndex={0}>
      <table className="table">
        <caption className="visually-hidden">{k.missionsCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{k.columns.block}</th>
            {showArtist ? <th scope="col">{k.columns.artist}</th> : null}
            <th scope="col">{k.columns.format}</th>
            <th scope="col" className="amount">
              {k.columns.price}
            </th>
            <th scope="col">{k.columns.status}</th>
            {showExpert ? <th scope="col">{k.columns.expert}</th> : null}
            <th scope="col">{k.columns.requestedAt}</th>
          </tr>
        </thead>
        <tbody>
          {missions.map((mission) => (
            <tr key={mission.id}>
              <th scope="row">
                <Link href={`/marketplace/missions/${mission.id}`}>
                  {mission.blockName}
                  {showArtist ? <span className="visually-hidden"> — {mission.artistName}</span> : null}
                </Link>
              </th>
              {showArtist ? <td>{mission.artistName}</td> : null}
              <td>{m.commerce.formats[mission.format]}</td>
              <td className="amount">{formatCents(mission.priceCents, locale)}</td>
              <td>
                <MissionStatusPill status={mission.status} />
              </td>
              {showExpert ? <td>{mission.expert?.name ?? <span className="muted">{k.noExpert}</span>}</td> : null}
              <td>
                <DateText iso={mission.requestedAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
