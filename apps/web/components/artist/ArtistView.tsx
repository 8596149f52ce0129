'use client';

import { isTeamRole } from '@mona/shared';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { getArtist, isNotFound, setArchived } from '../../lib/crm.ts';
import { describeError } from '../../lib/errors.ts';
import { formatDate } from '../../lib/format.ts';
import { format } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { LoadError, Loading } from '../AsyncStates.tsx';
import { useAuth } from '../AuthProvider.tsx';
import { ArchivedBadge, StageBadge, TierBadge } from '../crm/CrmBadges.tsx';
import { Alert } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { Tabs } from '../Tabs.tsx';
import { ARTIST_TABS } from './tabs.tsx';

function readTab(): string {
  if (typeof window === 'undefined') return ARTIST_TABS[0]!.id;
  return new URLSearchParams(window.location.search).get('tab') ?? ARTIST_TABS[0]!.id;
}

export function ArtistView({ id }: { id: string }) {
  const { m, locale } = useI18n();
  const { user } = useAuth();
  const isTeam = user ? isTeamRole(user.role) : false;
  const { data: artist, error, loading, reload, setData } = useAsync((signal) => getArtist(id, signal), [id]);
  const [tab, setTab] = useState(readTab);
  const [archiving, setArchiving] = useState(false);
  const [archiveError, setArchiveError] = useState<string | null>(null);

  useEffect(() => {
    if (artist) document.title = `${artist.stageName} · ${m.common.productName}`;
  }, [artist, m]);

  if (error && isNotFound(error)) {
    return (
      <div className="page">
        <h1 className="page-title">{m.artist.notFoundTitle}</h1>
        <Alert tone="warning">
          <p>{m.artist.notFoundMessage}</p>
        </Alert>
        {isTeam ? (
          <p>
            <Link href="/artists">{m.artist.backToList}</Link>
          </p>
        ) : null}
      </div>
    );
  }
  if (error && !artist) {
    return (
      <div className="page">
        <h1 className="page-title">{m.artist.title}</h1>
        <LoadError title={m.artist.loadError} error={error} onRetry={reload} retrying={loading} />
      </div>
    );
  }
  if (!artist) return <Loading message={m.artist.loading} />;

  const tabs = ARTIST_TABS.filter((t) => !t.visible || t.visible({ isTeam }));
  const current = tabs.find((t) => t.id === tab) ?? tabs[0]!;
  const Current = current.Component;

  async function toggleArchive() {
    if (!artist) return;
    setArchiving(true);
    setArchiveError(null);
    try {
      setData(await setArchived(artist.id, !artist.archivedAt));
    } catch (caught) {
      setArchiveError(describeError(caught, m));
    } finally {
      setArchiving(false);
    }
  }

  return (
    <div className="page">
      {isTeam ? (
        <nav aria-label={m.artist.breadcrumb}>
          <Link href="/artists">{m.artist.backToList}</Link>
        </nav>
      ) : null}
      <div className="page-header">
        <div>
          <h1 className="page-title">{artist.stageName}</h1>
          <p className="artist-summary">
            <StageBadge stage={artist.stage} visibleLabel />
            <TierBadge tier={artist.tier} visibleLabel />
            <span className="score-chip">{format(m.artist.scoreOutOf, { score: artist.scoreTotal })}</span>
            {artist.archivedAt ? <ArchivedBadge /> : null}
          </p>
          <p className="meta-line">
            {[artist.genres.join(', '), artist.city].filter(Boolean).join(' · ')}
            {artist.genres.length || artist.city ? ' · ' : ''}
            {format(m.artist.inStageSince, { date: formatDate(artist.stageChangedAt, locale) })}
          </p>
        </div>
        {isTeam ? (
          <div className="page-header__actions">
            <button type="button" className="button button--quiet" onClick={() => void toggleArchive()} disabled={archiving}>
              {artist.archivedAt ? m.artists.unarchive : m.artists.archive}
            </button>
          </div>
        ) : null}
      </div>
      {archiveError ? <Alert tone="error">{archiveError}</Alert> : null}
      {artist.archivedAt ? <Alert tone="info">{format(m.artist.archivedNotice, { date: formatDate(artist.archivedAt, locale) })}</Alert> : null}
      <Tabs
        label={m.artist.tabsLabel}
        tabs={tabs.map((t) => ({ id: t.id, label: t.label(m) }))}
        selected={current.id}
        onSelect={(next) => {
          setTab(next);
          const params = new URLSearchParams(window.location.search);
          params.set('tab', next);
          window.history.replaceState(window.history.state, '', `${window.location.pathname}?${params.toString()}`);
        }}
      >
        <Current key={current.id} artist={artist} isTeam={isTeam} onArtistChange={(next) => setData(next)} />
      </Tabs>
    </div>
  );
}
