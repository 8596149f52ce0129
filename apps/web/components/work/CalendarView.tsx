'use client';

import { CALENDAR_KINDS } from '@mona/shared';
import {
  addDays,
  addMonths,
  addWeeks,
  eachDayOfInterval,
  endOfMonth,
  endOfWeek,
  isSameDay,
  isSameMonth,
  startOfDay,
  startOfMonth,
  startOfWeek,
} from 'date-fns';
import Link from 'next/link';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { format, plural, type Locale } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { fetchCalendar, type CalendarEntry } from '../../lib/work.ts';
import { LoadError, Loading } from '../AsyncStates.tsx';
import { Alert } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { RequireRole, TEAM_ROLES } from '../RequireRole.tsx';
import { EventDialog, type EventDialogState } from './EventDialog.tsx';
import { dateInput, formatClock, KindMark } from './shared.tsx';

type View = 'month' | 'week';
const WEEK = { weekStartsOn: 1 } as const;
const MONTH_VISIBLE = 3;

/** The days `entry` covers among [dayStart, dayStart + 1 day): overlap, or a moment inside. */
function onDay(entry: CalendarEntry, day: Date): boolean {
  const start = Date.parse(entry.startsAt);
  const end = Date.parse(entry.endsAt);
  const dayStart = day.getTime();
  const dayEnd = addDays(day, 1).getTime();
  if (end <= start) return start >= dayStart && start < dayEnd;
  return start < dayEnd && end > dayStart;
}

export function CalendarView() {
  return (
    <RequireRole roles={TEAM_ROLES}>
      <CalendarPage />
    </RequireRole>
  );
}

function CalendarPage() {
  const { m, locale } = useI18n();
  const c = m.work.calendar;
  const [view, setView] = useState<View>('month');
  const [cursor, setCursor] = useState(() => startOfDay(new Date()));
  const [dialog, setDialog] = useState<EventDialogState | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const focusAfterMove = useRef(false);
  const dayRefs = useRef(new Map<string, HTMLButtonElement>());

  const { from, to, days } = useMemo((): { from: Date; to: Date; days: Date[] } => {
    const first = view === 'month' ? startOfWeek(startOfMonth(cursor), WEEK) : startOfWeek(cursor, WEEK);
    const last = view === 'month' ? endOfWeek(endOfMonth(cursor), WEEK) : endOfWeek(cursor, WEEK);
    return { from: first, to: addDays(startOfDay(last), 1), days: eachDayOfInterval({ start: first, end: last }) };
  }, [view, cursor]);

  const calendar = useAsync((signal) => fetchCalendar(from, to, signal), [from.getTime(), to.getTime()]);
  const entries = calendar.data?.entries ?? [];

  useEffect(() => {
    if (!focusAfterMove.current) return;
    focusAfterMove.current = false;
    dayRefs.current.get(dateInput(cursor))?.focus();
  }, [cursor, view]);

  const period =
    view === 'month'
      ? new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric' }).format(cursor)
      : format(c.weekOf, {
          start: new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long' }).format(days[0]),
          end: new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric' }).format(days[days.length - 1]),
        });

  function shift(direction: 1 | -1) {
    setCursor((d) => (view === 'month' ? addMonths(d, direction) : addWeeks(d, direction)));
  }

  function onDayKey(event: KeyboardEvent<HTMLButtonElement>) {
    const moves: Record<string, (d: Date) => Date> = {
      ArrowLeft: (d) => addDays(d, -1),
      ArrowRight: (d) => addDays(d, 1),
      ArrowUp: (d) => addDays(d, -7),
      ArrowDown: (d) => addDays(d, 7),
      Home: (d) => startOfWeek(d, WEEK),
      End: (d) => startOfDay(endOfWeek(d, WEEK)),
      PageUp: (d) => (view === 'month' ? addMonths(d, -1) : addWeeks(d, -1)),
      PageDown: (d) => (view === 'month' ? addMonths(d, 1) : addWeeks(d, 1)),
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    focusAfterMove.current = true;
    setCursor((d) => move(d));
  }

  const dayProps = (day: Date) => {
    const count = entries.filter((e) => onDay(e, day)).length;
    return {
      ref: (el: HTMLButtonElement | null) => {
        if (el) dayRefs.current.set(dateInput(day), el);
        else dayRefs.current.delete(dateInput(day));
      },
      tabIndex: isSameDay(day, cursor) ? 0 : -1,
      'aria-label': format(c.dayLabel, {
        date: new Intl.DateTimeFormat(locale, { dateStyle: 'full' }).format(day),
        count: count === 0 ? c.noEntries : plural(locale, c.entriesCount, count),
      }),
      'aria-current': isSameDay(day, new Date()) ? ('date' as const) : undefined,
      onKeyDown: onDayKey,
      onFocus: () => {
        if (!isSameDay(day, cursor)) setCursor(startOfDay(day));
      },
      onClick: () => {
        setCursor(startOfDay(day));
        setDialog({ mode: 'create', day: startOfDay(day) });
      },
    };
  };

  const openEntry = (entry: CalendarEntry) => setDialog({ mode: 'edit', eventId: entry.eventId!, artistName: entry.artistName });

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{c.title}</h1>
          <p className="lead">{c.intro}</p>
        </div>
        <div className="page-header__actions">
          <button type="button" className="button button--primary" onClick={() => setDialog({ mode: 'create', day: cursor })}>
            {c.newEvent}
          </button>
        </div>
      </div>

      <div className="work-toolbar">
        <div className="inline-actions">
          <button type="button" className="button button--secondary" onClick={() => shift(-1)}>
            <span aria-hidden="true">← </span>
            {view === 'month' ? c.previousMonth : c.previousWeek}
          </button>
          <button type="button" className="button button--secondary" onClick={() => setCursor(startOfDay(new Date()))}>
            {c.today}
          </button>
          <button type="button" className="button button--secondary" onClick={() => shift(1)}>
            {view === 'month' ? c.nextMonth : c.nextWeek}
            <span aria-hidden="true"> →</span>
          </button>
        </div>
        <h2 className="work-period" aria-live="polite">
          {period}
        </h2>
        <div className="segmented" role="group" aria-label={c.views}>
          {(['month', 'week'] as const).map((v) => (
            <button key={v} type="button" className="segmented__button" aria-pressed={view === v} onClick={() => setView(v)}>
              {c[v]}
            </button>
          ))}
        </div>
      </div>

      <section aria-labelledby="calendar-legend">
        <h2 id="calendar-legend" className="visually-hidden">
          {c.legend}
        </h2>
        <ul className="work-legend">
          {CALENDAR_KINDS.map((kind) => (
            <li key={kind}>
              <KindMark kind={kind} withLabel />
            </li>
          ))}
        </ul>
      </section>

      {notice ? (
        <Alert tone="success">
          <p>{notice}</p>
        </Alert>
      ) : null}
      {calendar.error ? <LoadError title={c.loadError} error={calendar.error} onRetry={calendar.reload} retrying={calendar.loading} /> : null}
      {calendar.loading ? <Loading message={c.loading} /> : null}
      {calendar.data && entries.length === 0 ? (
        <p className="muted" role="status">
          {c.emptyPeriod}
        </p>
      ) : null}
      <p className="visually-hidden" id="calendar-help">
        {c.gridHelp}
      </p>

      {view === 'month' ? (
        <table className="work-month" aria-label={format(c.gridLabel, { period })} aria-describedby="calendar-help" aria-busy={calendar.loading}>
          <thead>
            <tr>
              {days.slice(0, 7).map((day) => (
                <th key={day.toISOString()} scope="col" abbr={new Intl.DateTimeFormat(locale, { weekday: 'long' }).format(day)}>
                  {new Intl.DateTimeFormat(locale, { weekday: 'short' }).format(day)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: days.length / 7 }, (_, week) => (
              <tr key={week}>
                {days.slice(week * 7, week * 7 + 7).map((day) => {
                  const list = entries.filter((e) => onDay(e, day));
                  const classes = ['work-day', isSameMonth(day, cursor) ? '' : 'work-day--outside', isSameDay(day, new Date()) ? 'work-day--today' : ''];
                  return (
                    <td key={day.toISOString()} className={classes.join(' ')} data-date={dateInput(day)}>
                      <button type="button" className="work-day__number" {...dayProps(day)}>
                        {day.getDate()}
                      </button>
                      {list.length > 0 ? (
                        <ul className="work-entries">
                          {list.slice(0, MONTH_VISIBLE).map((entry) => (
                            <EntryItem key={entry.id} entry={entry} onOpen={openEntry} locale={locale} compact />
                          ))}
                        </ul>
                      ) : null}
                      {list.length > MONTH_VISIBLE ? (
                        <button
                          type="button"
                          className="button button--quiet button--small"
                          onClick={() => {
                            setCursor(startOfDay(day));
                            setView('week');
                          }}
                        >
                          {plural(locale, c.more, list.length - MONTH_VISIBLE)}
                        </button>
                      ) : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <div className="work-week" role="group" aria-label={format(c.gridLabel, { period })} aria-describedby="calendar-help" aria-busy={calendar.loading}>
          {days.map((day) => {
            const list = entries.filter((e) => onDay(e, day));
            return (
              <section
                key={day.toISOString()}
                className={isSameDay(day, new Date()) ? 'work-week__day work-day--today' : 'work-week__day'}
                data-date={dateInput(day)}
                aria-label={new Intl.DateTimeFormat(locale, { dateStyle: 'full' }).format(day)}
              >
                <h3 className="work-week__title">
                  <button type="button" className="work-day__number" {...dayProps(day)}>
                    {new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short' }).format(day)}
                  </button>
                </h3>
                {list.length === 0 ? (
                  <p className="work-week__empty">{c.noEntries}</p>
                ) : (
                  <ul className="work-entries">
                    {list.map((entry) => (
                      <EntryItem key={entry.id} entry={entry} onOpen={openEntry} locale={locale} />
                    ))}
                  </ul>
                )}
              </section>
            );
          })}
        </div>
      )}

      <EventDialog
        state={dialog}
        onClose={() => setDialog(null)}
        onDone={(event, action) => {
          setDialog(null);
          setNotice(format(c[action], { title: event.title }));
          calendar.reload();
        }}
      />
    </div>
  );
}

function EntryItem({
  entry,
  onOpen,
  locale,
  compact = false,
}: {
  entry: CalendarEntry;
  onOpen: (entry: CalendarEntry) => void;
  locale: Locale;
  compact?: boolean;
}) {
  const { m } = useI18n();
  const c = m.work.calendar;
  const time = entry.allDay ? c.allDay : formatClock(new Date(entry.startsAt), locale);
  const full = new Intl.DateTimeFormat(locale, entry.allDay ? { dateStyle: 'full' } : { dateStyle: 'full', timeStyle: 'short' }).format(
    new Date(entry.startsAt),
  );
  const editable = entry.origin === 'event' && !entry.readOnly && entry.eventId;
  return (
    <li className={`work-entry work-entry--${entry.kind}`} data-entry-id={entry.id} title={full}>
      <span className="work-entry__main">
        <KindMark kind={entry.kind} />
        <span className="work-entry__time">{time}</span>
        {editable ? (
          <button
            type="button"
            className="work-entry__button"
            onClick={() => onOpen(entry)}
            aria-label={`${format(c.openEvent, { title: entry.title })}, ${full}`}
          >
            {entry.title}
          </button>
        ) : entry.origin === 'task' ? (
          <Link href="/tasks">{entry.title}</Link>
        ) : (
          <span>{entry.title}</span>
        )}
      </span>
      {entry.origin === 'task' ? <span className="work-entry__sub">{c.taskDeadline}</span> : null}
      {entry.origin === 'event' && entry.readOnly ? <span className="work-entry__sub">{c.readOnlySource}</span> : null}
      {entry.artistId ? (
        <span className="work-entry__sub">
          <Link href={`/artists/${entry.artistId}`}>{entry.artistName ?? m.work.common.artist}</Link>
        </span>
      ) : null}
      {!compact && entry.location ? <span className="work-entry__sub">{entry.location}</span> : null}
    </li>
  );
}
