'use client';

import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  rectIntersection,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type KeyboardCoordinateGetter,
} from '@dnd-kit/core';
import { PIPELINE_STAGES, type PipelineStage } from '@mona/shared';
import Link from 'next/link';
import { useId, useMemo } from 'react';
import type { BoardCard, BoardColumn, PipelineBoard } from '../../lib/crm.ts';
import { format, plural } from '../../lib/i18n.ts';
import { TierBadge } from '../crm/CrmBadges.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { MoveMenu } from './MoveMenu.tsx';
import type { MoveRequest } from './PipelineView.tsx';

interface CardData {
  card: BoardCard;
  stage: PipelineStage;
}

const isStage = (value: unknown): value is PipelineStage => typeof value === 'string' && (PIPELINE_STAGES as readonly string[]).includes(value);

/** The pointer decides when there is one; the keyboard (no pointer) falls back to overlapping rectangles. */
const collisionDetection: CollisionDetection = (args) => {
  const within = pointerWithin(args);
  return within.length > 0 ? within : rectIntersection(args);
};

/** With the keyboard, ← and → jump a whole column (↑ ↓ do nothing: order inside a column is by date). */
const columnCoordinates: KeyboardCoordinateGetter = (event, { context, active }) => {
  const direction = event.code === 'ArrowRight' ? 1 : event.code === 'ArrowLeft' ? -1 : 0;
  if (direction === 0) {
    if (event.code === 'ArrowUp' || event.code === 'ArrowDown') event.preventDefault();
    return undefined;
  }
  event.preventDefault();
  const { droppableRects, collisionRect, over } = context;
  const origin = (context.active?.data.current as CardData | undefined)?.stage;
  const currentId = over?.id ?? origin ?? active;
  const index = PIPELINE_STAGES.findIndex((s) => s === currentId);
  const target = PIPELINE_STAGES[index + direction];
  if (index < 0 || !target) return undefined;
  const rect = droppableRects.get(target);
  if (!rect || !collisionRect) return undefined;
  return { x: rect.left + Math.max(0, (rect.width - collisionRect.width) / 2), y: rect.top + 56 };
};

export function BoardView({
  board,
  pendingIds,
  onMove,
}: {
  board: PipelineBoard;
  pendingIds: ReadonlySet<string>;
  onMove: (request: MoveRequest) => Promise<boolean>;
}) {
  const { m } = useI18n();
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnCoordinates }),
  );

  const names = useMemo(() => {
    const map = new Map<string, string>();
    for (const column of board.columns) for (const card of column.artists) map.set(card.id, card.stageName);
    return map;
  }, [board]);
  const nameOf = (id: string | number) => names.get(String(id)) ?? String(id);
  const stageName = (id: string | number | undefined) => (isStage(id) ? m.crm.stages[id] : '');

  const announcements: Announcements = {
    onDragStart: ({ active }) => format(m.pipeline.dnd.picked, { name: nameOf(active.id) }),
    onDragOver: ({ active, over }) =>
      over ? format(m.pipeline.dnd.over, { name: nameOf(active.id), stage: stageName(over.id) }) : format(m.pipeline.dnd.outside, { name: nameOf(active.id) }),
    onDragEnd: ({ active, over }) =>
      over
        ? format(m.pipeline.dnd.dropped, { name: nameOf(active.id), stage: stageName(over.id) })
        : format(m.pipeline.dnd.outside, { name: nameOf(active.id) }),
    onDragCancel: ({ active }) => format(m.pipeline.dnd.cancelled, { name: nameOf(active.id) }),
  };

  function onDragEnd({ active, over }: DragEndEvent) {
    const data = active.data.current as CardData | undefined;
    if (!data || !over || !isStage(over.id) || over.id === data.stage) return;
    void onMove({ card: data.card, from: data.stage, to: over.id });
  }

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={collisionDetection}
      onDragEnd={onDragEnd}
      accessibility={{ announcements, screenReaderInstructions: { draggable: m.pipeline.dnd.instructions } }}
    >
      <div className="board" role="region" aria-label={m.pipeline.boardLabel} tabIndex={-1}>
        {board.columns.map((column) => (
          <Column key={column.stage} column={column} pendingIds={pendingIds} onMove={onMove} />
        ))}
      </div>
    </DndContext>
  );
}

function Column({ column, pendingIds, onMove }: { column: BoardColumn; pendingIds: ReadonlySet<string>; onMove: (request: MoveRequest) => Promise<boolean> }) {
  const { m, locale } = useI18n();
  const { setNodeRef, isOver } = useDroppable({ id: column.stage });
  const titleId = useId();
  const hidden = column.total - column.artists.length;
  return (
    <section ref={setNodeRef} className={isOver ? 'board__column board__column--over' : 'board__column'} aria-labelledby={titleId} data-stage={column.stage}>
      <h2 id={titleId} className="board__title">
        <span>{m.crm.stages[column.stage]}</span>
        <span className="board__count">
          <span className="visually-hidden">, </span>
          {plural(locale, m.pipeline.columnCount, column.total)}
        </span>
      </h2>
      {column.artists.length === 0 ? (
        <p className="board__empty">{m.pipeline.columnEmpty}</p>
      ) : (
        <ul className="board__cards">
          {column.artists.map((card) => (
            <Card key={card.id} card={card} stage={column.stage} pending={pendingIds.has(card.id)} onMove={onMove} />
          ))}
        </ul>
      )}
      {hidden > 0 ? (
        <p className="meta-line">
          <Link href={`/artists?stage=${column.stage}`}>{plural(locale, m.pipeline.moreInList, hidden)}</Link>
        </p>
      ) : null}
    </section>
  );
}

function Card({
  card,
  stage,
  pending,
  onMove,
}: {
  card: BoardCard;
  stage: PipelineStage;
  pending: boolean;
  onMove: (request: MoveRequest) => Promise<boolean>;
}) {
  const { m } = useI18n();
  const data: CardData = { card, stage };
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({ id: card.id, data, disabled: pending });
  const style = transform ? { transform: `translate3d(${transform.x}px, ${transform.y}px, 0)` } : undefined;
  return (
    <li
      ref={setNodeRef}
      style={style}
      className={['board-card', isDragging ? 'board-card--dragging' : '', pending ? 'board-card--pending' : ''].join(' ')}
      aria-busy={pending}
      data-artist-id={card.id}
    >
      <div className="board-card__top">
        <button
          type="button"
          className="board-card__handle"
          aria-label={format(m.pipeline.dragHandle, { name: card.stageName })}
          {...attributes}
          {...listeners}
        >
          <span aria-hidden="true">⠿</span>
        </button>
        <Link href={`/artists/${card.id}?tab=pipeline`} className="board-card__name">
          {card.stageName}
        </Link>
      </div>
      <div className="board-card__meta">
        <TierBadge tier={card.tier} withLabel />
        <span className="board-card__score">{format(m.pipeline.cardScore, { score: card.scoreTotal })}</span>
      </div>
      <MoveMenu card={card} stage={stage} disabled={pending} onMove={onMove} />
    </li>
  );
}
