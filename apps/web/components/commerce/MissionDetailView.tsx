'use client';

import './commerce.css';
import { isTeamRole, type MissionStatus } from '@mona/shared';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import {
  addDeliverable,
  assignExpert,
  describeTransitionConflict,
  formatCents,
  getMission,
  listExpertAccounts,
  transitionMission,
  type ExpertOption,
  type MissionDetail,
} from '../../lib/commerce.ts';
import { formatDateTime } from '../../lib/format.ts';
import { format } from '../../lib/i18n.ts';
import type { User } from '../../lib/session.ts';
import { useAsync } from '../../lib/use-async.ts';
import { useForm } from '../../lib/use-form.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { useAuth } from '../AuthProvider.tsx';
import { Alert, FormBanner, SelectField, SubmitButton, TextAreaField, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { RequireRole } from '../RequireRole.tsx';
import { DetailLoadFailure, DetailPage, MissionStatusPill, StampRows, StatusActions, StatusHistory, type BackLink, type StatusMove } from './shared.tsx';

/** Who the signed-in person is for this mission. */
type Actor = 'team' | 'expert' | 'artist' | 'viewer';

function actorOf(user: User | null, mission: MissionDetail): Actor {
  if (!user) return 'viewer';
  if (isTeamRole(user.role)) return 'team';
  if (user.role === 'expert') return mission.expert?.id === user.id ? 'expert' : 'viewer';
  if (user.role === 'artist') return 'artist';
  return 'viewer';
}

/** /marketplace/missions/[id]: a mission, its deliverables and history, and what the reader may do next. */
export function MissionDetailView({ id }: { id: string }) {
  return (
    <RequireRole roles={['admin', 'staff', 'expert', 'artist']}>
      <MissionLoaded id={id} />
    </RequireRole>
  );
}

function backLink(user: User | null, m: ReturnType<typeof useI18n>['m']) {
  const d = m.commerce.mission;
  if (user?.role === 'expert') return { href: '/missions', label: d.backToExpert };
  if (user?.role === 'artist') return { href: '/portal', label: d.backToPortal };
  return { href: '/marketplace', label: d.backToMarketplace };
}

function MissionLoaded({ id }: { id: string }) {
  const { m } = useI18n();
  const { user } = useAuth();
  const d = m.commerce.mission;
  const mission = useAsync((signal) => getMission(id, signal), [id]);
  const back = backLink(user, m);

  if (mission.error && !mission.data) return <DetailLoadFailure error={mission.error} back={back} onRetry={mission.reload} texts={d} />;
  if (!mission.data) return <Loading message={d.loading} />;
  return <MissionBody mission={mission.data} actor={actorOf(user, mission.data)} back={back} onChange={mission.setData} onReload={mission.reload} />;
}

function MissionBody({
  mission,
  actor,
  back,
  onChange,
  onReload,
}: {
  mission: MissionDetail;
  actor: Actor;
  back: BackLink;
  onChange: (next: MissionDetail) => void;
  onReload: () => void;
}) {
  const { m, locale } = useI18n();
  const d = m.commerce.mission;
  const stamps: [string, string | null][] = [
    [d.requestedAt, mission.requestedAt],
    [d.assignedAt, mission.assignedAt],
    [d.startedAt, mission.startedAt],
    [d.deliveredAt, mission.deliveredAt],
    [d.acceptedAt, mission.acceptedAt],
    [d.cancelledAt, mission.cancelledAt],
  ];
  return (
    <DetailPage
      back={back}
      heading={format(d.heading, { block: mission.blockName, artist: mission.artistName })}
      statusLabel={d.statusLabel}
      status={<MissionStatusPill status={mission.status} />}
    >
      <div className="commerce-grid">
        <section className="card section" aria-labelledby="mission-details-title">
          <h2 id="mission-details-title" className="section-title">
            {d.detailsTitle}
          </h2>
          <dl className="details">
            <div className="details__row">
              <dt>{d.artist}</dt>
              <dd>{actor === 'team' ? <Link href={`/artists/${mission.artistId}`}>{mission.artistName}</Link> : mission.artistName}</dd>
            </div>
            <div className="details__row">
              <dt>{d.block}</dt>
              <dd>{mission.blockName}</dd>
            </div>
            <div className="details__row">
              <dt>{d.format}</dt>
              <dd>{m.commerce.formats[mission.format]}</dd>
            </div>
            <div className="details__row">
              <dt>{d.price}</dt>
              <dd className="amount">{formatCents(mission.priceCents, locale)}</dd>
            </div>
            <div className="details__row">
              <dt>{d.expert}</dt>
              <dd>{mission.expert?.name ?? d.noExpert}</dd>
            </div>
            <StampRows stamps={stamps} />
            <div className="details__row">
              <dt>{d.brief}</dt>
              <dd className="prewrap">{mission.brief || m.commerce.common.none}</dd>
            </div>
          </dl>
        </section>
        <MissionActions mission={mission} actor={actor} onChange={onChange} onReload={onReload} />
      </div>
      <section className="card section" aria-labelledby="mission-deliverables-title">
        <h2 id="mission-deliverables-title" className="section-title">
          {d.deliverablesTitle}
        </h2>
        {mission.deliverables.length === 0 ? (
          <EmptyState title={d.noDeliverables} />
        ) : (
          <ul className="deliverables">
            {mission.deliverables.map((item) => (
              <li key={item.id}>
                <p className="timeline__title">{item.url ? <a href={item.url}>{item.title}</a> : item.title}</p>
                {item.note ? <p className="prewrap">{item.note}</p> : null}
                <p className="muted">
                  <time dateTime={item.createdAt}>{formatDateTime(item.createdAt, locale)}</time>
                  {item.createdBy ? ` · ${format(m.commerce.common.by, { name: item.createdBy.name })}` : ''}
                </p>
              </li>
            ))}
          </ul>
        )}
        {actor === 'expert' && mission.status === 'in_progress' ? (
          <DeliverableForm missionId={mission.id} onAdded={(item) => onChange({ ...mission, deliverables: [...mission.deliverables, item] })} />
        ) : null}
      </section>
      <StatusHistory
        titleId="mission-history-title"
        title={d.historyTitle}
        history={mission.history}
        labels={m.commerce.missionStatus}
        pill={(status) => <MissionStatusPill status={status} />}
      />
    </DetailPage>
  );
}

function movesFor(mission: MissionDetail, actor: Actor, m: ReturnType<typeof useI18n>['m']): StatusMove<MissionStatus>[] {
  const d = m.commerce.mission;
  const moves: StatusMove<MissionStatus>[] = [];
  const s = mission.status;
  if (actor === 'expert') {
    if (s === 'assigned') moves.push({ to: 'in_progress', label: d.start });
    if (s === 'in_progress') moves.push({ to: 'delivered', label: d.deliver });
  }
  if ((actor === 'team' || actor === 'artist') && s === 'delivered') {
    moves.push({ to: 'accepted', label: d.accept });
    moves.push({
      to: 'in_progress',
      label: d.askChanges,
      confirm: { title: d.askChangesTitle, description: d.askChangesDescription, requireReason: true, danger: false },
    });
  }
  if (actor === 'team' && (s === 'requested' || s === 'assigned' || s === 'in_progress')) {
    moves.push({
      to: 'cancelled',
      label: d.cancel,
      confirm: { title: d.cancelTitle, description: format(d.cancelDescription, { block: mission.blockName }), requireReason: false, danger: true },
    });
  }
  return moves;
}

function MissionActions({
  mission,
  actor,
  onChange,
  onReload,
}: {
  mission: MissionDetail;
  actor: Actor;
  onChange: (next: MissionDetail) => void;
  onReload: () => void;
}) {
  const { m } = useI18n();
  const d = m.commerce.mission;
  const moves = movesFor(mission, actor, m);
  const canAssign = actor === 'team' && (mission.status === 'requested' || mission.status === 'assigned');
  const nothing = moves.length === 0 && !canAssign;
  return (
    <StatusActions
      kind="mission"
      titleId="mission-actions-title"
      title={d.actionsTitle}
      refused={d.refused}
      moved={d.moved}
      moves={moves}
      transition={(to, reason) => transitionMission(mission.id, to, reason)}
      onChange={onChange}
      onReload={onReload}
      intro={
        <>
          {nothing ? <p className="muted">{nothingToDo(mission, actor, m)}</p> : null}
          {actor === 'expert' && mission.status === 'in_progress' && mission.deliverables.length === 0 ? <p className="muted">{d.deliverFirst}</p> : null}
        </>
      }
    >
      {(notify) =>
        canAssign ? (
          <AssignExpert
            mission={mission}
            onAssigned={(next) => {
              onChange(next);
              notify(format(d.assigned, { name: next.expert?.name ?? '' }));
            }}
          />
        ) : null
      }
    </StatusActions>
  );
}

function nothingToDo(mission: MissionDetail, actor: Actor, m: ReturnType<typeof useI18n>['m']): string {
  const d = m.commerce.mission;
  if (mission.status === 'accepted' || mission.status === 'cancelled') return format(d.final, { status: m.commerce.missionStatus[mission.status] });
  if (actor === 'artist') return d.waitingArtist;
  if (actor === 'expert') return d.waitingExpert;
  if (actor === 'team') return d.waitingTeam;
  return d.readOnly;
}

const ASSIGN_FIELDS = ['expertId'] as const;

/** The expert picker: the active experts (GET /api/users/experts), for admins and staff alike. */
function AssignExpert({ mission, onAssigned }: { mission: MissionDetail; onAssigned: (next: MissionDetail) => void }) {
  const { m } = useI18n();
  const { user } = useAuth();
  const d = m.commerce.mission;
  const isAdmin = user?.role === 'admin';
  const experts = useAsync<ExpertOption[]>((signal) => listExpertAccounts(signal), []);
  const [expertId, setExpertId] = useState('');
  const form = useForm(ASSIGN_FIELDS, m);
  const { pending } = form;
  const options = (experts.data ?? []).filter((e) => e.id !== mission.expert?.id);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await form.submit(
      expertId ? {} : { expertId: d.expertRequired },
      async () => {
        onAssigned(await assignExpert(mission.id, expertId));
        setExpertId('');
      },
      { conflict: (caught) => describeTransitionConflict(caught, m, 'mission') },
    );
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending} aria-labelledby="assign-title">
      <h3 id="assign-title" className="section-title">
        {mission.expert ? d.reassignTitle : d.assignTitle}
      </h3>
      <FormBanner form={form} />
      {experts.error ? <LoadError title={d.expertsLoadError} error={experts.error} onRetry={experts.reload} /> : null}
      {experts.loading && !experts.data ? <Loading message={d.expertsLoading} /> : null}
      {experts.data && options.length === 0 ? <p className="muted">{isAdmin ? d.noExperts : d.noExpertsStaff}</p> : null}
      {experts.data && options.length > 0 ? (
        <>
          <SelectField
            name="expertId"
            label={d.expertLabel}
            value={expertId}
            onChange={setExpertId}
            required
            error={form.errors.expertId}
            options={[{ value: '', label: d.chooseExpert }, ...options.map((e) => ({ value: e.id, label: e.name }))]}
            selectRef={form.field('expertId')}
          />
          <SubmitButton pending={pending} label={mission.expert ? d.reassign : d.assign} pendingLabel={m.commerce.common.working} />
        </>
      ) : null}
    </form>
  );
}

type DeliverableField = 'title' | 'url' | 'note';
const DELIVERABLE_FIELDS: readonly DeliverableField[] = ['title', 'url', 'note'];

function DeliverableForm({ missionId, onAdded }: { missionId: string; onAdded: (item: MissionDetail['deliverables'][number]) => void }) {
  const { m } = useI18n();
  const d = m.commerce.mission;
  const [title, setTitle] = useState('');
  const [url, setUrl] = useState('');
  const [note, setNote] = useState('');
  const [added, setAdded] = useState<string | null>(null);
  const form = useForm(DELIVERABLE_FIELDS, m);
  const { errors, pending } = form;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const found: Partial<Record<DeliverableField, string>> = {};
    if (!title.trim()) found.title = d.titleRequired;
    if (url.trim() && !/^https?:\/\/\S+$/i.test(url.trim())) found.url = m.validation.urlInvalid;
    setAdded(null);
    await form.submit(
      found,
      async () => {
        const item = await addDeliverable(missionId, {
          title: title.trim(),
          ...(url.trim() ? { url: url.trim() } : {}),
          ...(note.trim() ? { note: note.trim() } : {}),
        });
        onAdded(item);
        setAdded(format(d.deliverableAdded, { title: item.title }));
        setTitle('');
        setUrl('');
        setNote('');
      },
      { conflict: (caught) => describeTransitionConflict(caught, m, 'mission') },
    );
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending} aria-labelledby="deliverable-form-title">
      <h3 id="deliverable-form-title" className="section-title">
        {d.addDeliverableTitle}
      </h3>
      <FormBanner form={form} />
      {added ? <Alert tone="success">{added}</Alert> : null}
      <TextField name="title" label={d.deliverableTitle} value={title} onChange={setTitle} required error={errors.title} inputRef={form.field('title')} />
      <TextField
        name="url"
        type="url"
        label={d.deliverableUrl}
        hint={d.deliverableUrlHint}
        value={url}
        onChange={setUrl}
        spellCheck={false}
        error={errors.url}
        inputRef={form.field('url')}
      />
      <TextAreaField name="note" label={d.deliverableNote} value={note} onChange={setNote} maxLength={5000} rows={3} error={errors.note} />
      <SubmitButton pending={pending} label={d.addDeliverable} pendingLabel={m.commerce.common.working} />
    </form>
  );
}
