'use client';

import type { PipelineStage } from '@mona/shared';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { fetchBoard, moveStage, type BoardCard, type PipelineBoard } from '../../lib/crm.ts';
import { format } from '../../lib/i18n.ts';
import { describeMoveError } from '../../lib/pipeline.ts';
import { useAsync } from '../../lib/use-async.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { Alert } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { BoardView } from './BoardView.tsx';
import { FunnelStats } from './FunnelStats.tsx';
import { PipelineList } from './PipelineList.tsx';

type View = 'board' | 'list';

export interface MoveRequest {
  card: BoardCard;
  from: PipelineStage;
  to: PipelineStage;
}

function readView(): View {
  if (typeof window === 'undefined') return 'board';
  return new URLSearchParams(window.location.search).get('view') === 'list' ? 'list' : 'board';
}

/** Moves a card between columns of a board snapshot (newest moved first, as the API orders them). */
function withCardMoved(board: PipelineBoard, card: BoardCard, from: PipelineStage, to: PipelineStage): PipelineBoard {
  return {
    columns: board.columns.map((column) => {
      if (column.stage === from) return { ...column, total: column.total - 1, artists: column.artists.filter((a) => a.id !== card.id) };
      if (column.stage === to) return { ...column, total: column.total + 1, artists: [card, ...column.artists.filter((a) => a.id !== card.id)] };
      return column;
    }),
  };
}

export function PipelineView() {
  const { m } = useI18n();
  const board = useAsync((signal) => fetchBoard(signal), []);
  const [view, setView] = useState<View>(readView);
  const [refusal, setRefusal] = useState<{ title: string; reason: string } | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [pendingIds, setPendingIds] = useState<ReadonlySet<string>>(new Set());
  const [statsKey, setStatsKey] = useState(0);
  const refusalRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (refusal) refusalRef.current?.focus({ preventScroll: false });
  }, [refusal]);

  function chooseView(next: View) {
    setView(next);
    const params = new URLSearchParams(window.location.search);
    if (next === 'list') params.set('view', 'list');
    else params.delete('view');
    const query = params.toString();
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${query ? `?${query}` : ''}`);
  }

  async function move({ card, from, to }: MoveRequest): Promise<boolean> {
    if (from === to || pendingIds.has(card.id)) return false;
    setRefusal(null);
    // Optimistic: the card lands at once and goes back if the API refuses.
    board.setData((current) => (current ? withCardMoved(current, card, from, to) : current));
    setPendingIds((ids) => new Set(ids).add(card.id));
    setAnnouncement(format(m.pipeline.moving, { name: card.stageName, stage: m.crm.stages[to] }));
    try {
      const result = await moveStage(card.id, to);
      const updated: BoardCard = {
        id: result.artist.id,
        stageName: result.artist.stageName,
        tier: result.artist.tier,
        scoreTotal: result.artist.scoreTotal,
        assigneeId: result.artist.assigneeId,
        stageChangedAt: result.artist.stageChangedAt,
      };
      board.setData((current) =>
        current ? { columns: current.columns.map((c) => ({ ...c, artists: c.artists.map((a) => (a.id === updated.id ? updated : a)) })) } : current,
      );
      setAnnouncement(format(m.pipeline.moved, { name: card.stageName, stage: m.crm.stages[to] }));
      setStatsKey((n) => n + 1);
      return true;
    } catch (error) {
      board.setData((current) => (current ? withCardMoved(current, card, to, from) : current));
      const described = describeMoveError(error, m);
      setRefusal({ title: format(m.pipeline.refusedFor, { name: card.stageName, title: described.title }), reason: described.reason });
      setAnnouncement('');
      return false;
    } finally {
      setPendingIds((ids) => {
        const next = new Set(ids);
        next.delete(card.id);
        return next;
      });
    }
  }

  const empty = board.data ? board.data.columns.every((c) => c.total === 0) : false;

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{m.pipeline.title}</h1>
          <p className="lead">{m.pipeline.intro}</p>
        </div>
        <div className="page-header__actions">
          <div className="segmented" role="group" aria-label={m.pipeline.viewLabel}>
            {(['board', 'list'] as const).map((v) => (
              <button key={v} type="button" className="segmented__button" aria-pressed={view === v} onClick={() => chooseView(v)}>
                {v === 'board' ? m.pipeline.boardView : m.pipeline.listView}
              </button>
            ))}
          </div>
          <button type="button" className="button button--quiet" onClick={board.reload} disabled={board.loading}>
            {board.loading && board.data ? m.pipeline.refreshing : m.pipeline.refresh}
          </button>
        </div>
      </div>

      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {refusal ? (
        <Alert alertRef={refusalRef} tone="error" title={refusal.title}>
          <p>{refusal.reason}</p>
          <button type="button" className="button button--quiet button--small alert__action" onClick={() => setRefusal(null)}>
            {m.common.close}
          </button>
        </Alert>
      ) : null}

      {board.error && !board.data ? <LoadError title={m.pipeline.loadError} error={board.error} onRetry={board.reload} /> : null}
      {!board.data && !board.error ? <Loading message={m.pipeline.loading} /> : null}
      {board.data && empty ? (
        <EmptyState
          title={m.pipeline.emptyTitle}
          actions={
            <Link href="/artists" className="button button--primary">
              {m.pipeline.goToArtists}
            </Link>
          }
        >
          <p>{m.pipeline.emptyBody}</p>
        </EmptyState>
      ) : null}
      {board.data && !empty ? (
        view === 'board' ? (
          <BoardView board={board.data} pendingIds={pendingIds} onMove={move} />
        ) : (
          <PipelineList board={board.data} pendingIds={pendingIds} onMove={move} />
        )
      ) : null}

      <FunnelStats reloadKey={statsKey} />
    </div>
  );
}
