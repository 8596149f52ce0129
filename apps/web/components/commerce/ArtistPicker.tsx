'use client';

import './commerce.css';
import { useEffect, useId, useState, type KeyboardEvent, type Ref } from 'react';
import { searchArtists, type ArtistRecord } from '../../lib/commerce.ts';
import { describeError } from '../../lib/errors.ts';
import { format, plural } from '../../lib/i18n.ts';
import { FieldError } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';

export interface PickedArtist {
  id: string;
  name: string;
}

/**
 * Finds an artist by stage name (GET /api/artists?q=) — a WAI-ARIA combobox:
 * type at least two letters, arrows move through the results, Enter picks,
 * Escape closes. The count of results is announced politely.
 */
export function ArtistPicker({
  value,
  onChange,
  error,
  inputRef,
  disabled = false,
}: {
  value: PickedArtist | null;
  onChange: (artist: PickedArtist | null) => void;
  error?: string | undefined;
  inputRef?: Ref<HTMLInputElement>;
  disabled?: boolean;
}) {
  const { m, locale } = useI18n();
  const p = m.commerce.artistPicker;
  const id = useId();
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const errorId = error ? `${id}-error` : undefined;
  const [query, setQuery] = useState(value?.name ?? '');
  const [results, setResults] = useState<ArtistRecord[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);

  const term = query.trim();
  const searching = term.length >= 2 && !(value && value.name === query);

  useEffect(() => {
    if (!searching) {
      setResults([]);
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    const timer = setTimeout(() => {
      searchArtists(term, controller.signal).then(
        (items) => {
          setResults(items);
          setLoadError(null);
          setLoading(false);
          setActive(items.length > 0 ? 0 : -1);
        },
        (caught: unknown) => {
          if (controller.signal.aborted) return;
          setLoadError(caught);
          setLoading(false);
        },
      );
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [term, searching]);

  function pick(artist: ArtistRecord) {
    onChange({ id: artist.id, name: artist.stageName });
    setQuery(artist.stageName);
    setOpen(false);
    setResults([]);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      if (results.length) setActive((i) => (i + 1) % results.length);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
      if (results.length) setActive((i) => (i - 1 + results.length) % results.length);
    } else if (event.key === 'Enter') {
      if (open && active >= 0 && results[active]) {
        event.preventDefault();
        pick(results[active]);
      }
    } else if (event.key === 'Escape') {
      if (open) {
        event.preventDefault();
        setOpen(false);
      }
    }
  }

  const expanded = open && searching && results.length > 0;
  let announcement = '';
  if (searching && !loading && !loadError) announcement = results.length === 0 ? p.noResult : plural(locale, p.results, results.length);
  if (loading) announcement = p.searching;

  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {p.label}
      </label>
      <p className="field__hint" id={hintId}>
        {p.hint}
      </p>
      <div className="combobox">
        <input
          ref={inputRef}
          id={id}
          name="artist"
          type="text"
          className="field__input"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? `${id}-option-${active}` : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={[hintId, errorId].filter(Boolean).join(' ')}
          autoComplete="off"
          spellCheck={false}
          disabled={disabled}
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setOpen(true);
            if (value) onChange(null);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
        />
        <ul id={listId} role="listbox" aria-label={p.listLabel} className="combobox__list" hidden={!expanded}>
          {results.map((artist, index) => (
            <li
              key={artist.id}
              id={`${id}-option-${index}`}
              role="option"
              aria-selected={index === active}
              className="combobox__option"
              onMouseDown={(event) => {
                // Keep the focus in the input; pick on mouse down, before blur closes the list.
                event.preventDefault();
                pick(artist);
              }}
            >
              <span>{artist.stageName}</span>
              {artist.city ? <span className="muted">{artist.city}</span> : null}
            </li>
          ))}
        </ul>
      </div>
      <p role="status" className="visually-hidden">
        {announcement}
      </p>
      {value ? <p className="combobox__selected">{format(p.selected, { name: value.name })}</p> : null}
      {searching && !loading && !loadError && results.length === 0 ? <p className="muted">{p.noResult}</p> : null}
      {loadError ? <p className="muted">{describeError(loadError, m)}</p> : null}
      {error ? <FieldError id={errorId}>{error}</FieldError> : null}
    </div>
  );
}
