import { CsvError, parse } from 'csv-parse/sync';
import { PLATFORMS, type Platform } from '@mona/shared';
import { AppError } from '../../platform/errors.ts';
import type { ArtistDto } from './artists.schemas.ts';

/**
 * The CSV shape of an artist, shared by export and import so that an exported
 * file imports back as it is. Links take two columns per platform: the URL under
 * the platform's name, the handle under `<platform>Handle`.
 */
const LINK_COLUMNS = PLATFORMS.flatMap((p) => [p, `${p}Handle`]);
const EDITABLE_COLUMNS = [
  'stageName',
  'genres',
  'city',
  'bio',
  'email',
  'phone',
  ...LINK_COLUMNS,
  'consentMarketing',
  'consentAnalytics',
  'ndaSignedAt',
  'stage',
  'assigneeId',
];
/** Exported for reference; ignored on import (the system sets them). */
const READ_ONLY_COLUMNS = ['id', 'stageChangedAt', 'userId', 'scoreTotal', 'tier', 'consentUpdatedAt', 'createdAt', 'updatedAt', 'archivedAt'];

export const EXPORT_COLUMNS = [
  'id',
  'stageName',
  'genres',
  'city',
  'bio',
  'email',
  'phone',
  ...LINK_COLUMNS,
  'consentMarketing',
  'consentAnalytics',
  'ndaSignedAt',
  'stage',
  'stageChangedAt',
  'assigneeId',
  'userId',
  'scoreTotal',
  'tier',
  'createdAt',
  'updatedAt',
  'archivedAt',
];

export const GENRE_SEPARATOR = '|';

// A cell starting with one of these runs as a formula in a spreadsheet (CSV injection):
// export prefixes it with a quote mark, which import takes off again. A bare handle
// such as @nova calls nothing, so it is left readable.
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_HANDLE = /^@[\p{L}\p{N}._-]+$/u;
const escapeCell = (value: string) => (FORMULA_START.test(value) && !PLAIN_HANDLE.test(value) ? `'${value}` : value);
const unescapeCell = (value: string) => (value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value);

export function artistToCsvRow(artist: ArtistDto): Record<string, string> {
  const row: Record<string, string | null | number | boolean> = {
    id: artist.id,
    stageName: artist.stageName,
    genres: artist.genres.join(GENRE_SEPARATOR),
    city: artist.city,
    bio: artist.bio,
    email: artist.email,
    phone: artist.phone,
    consentMarketing: artist.consentMarketing,
    consentAnalytics: artist.consentAnalytics,
    ndaSignedAt: artist.ndaSignedAt,
    stage: artist.stage,
    stageChangedAt: artist.stageChangedAt,
    assigneeId: artist.assigneeId,
    userId: artist.userId,
    scoreTotal: artist.scoreTotal,
    tier: artist.tier,
    createdAt: artist.createdAt,
    updatedAt: artist.updatedAt,
    archivedAt: artist.archivedAt,
  };
  for (const platform of PLATFORMS) {
    const link = (artist.links as Partial<Record<Platform, { handle?: string; url?: string }>>)[platform];
    row[platform] = link?.url ?? null;
    row[`${platform}Handle`] = link?.handle ?? null;
  }
  return Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, escapeCell(row[c] === null || row[c] === undefined ? '' : String(row[c]))]));
}

export interface CsvRecord {
  /** Line of the file where the record starts; the header is line 1. */
  line: number;
  /** The record as an object for the create schema; empty cells are left out. */
  values: Record<string, unknown>;
}

export type CsvRecordOrError = CsvRecord | { line: number; error: string };

const invalidFile = (message: string) => new AppError(400, 'validation_failed', message, { issues: [{ path: 'csv', message }] });

/** Keeps the text of anything that is not a clear yes/no, so the schema reports it on its field. */
function toBoolean(value: string): boolean | string {
  const v = value.toLowerCase();
  if (['true', 'yes', 'oui', '1'].includes(v)) return true;
  if (['false', 'no', 'non', '0'].includes(v)) return false;
  return value;
}

function recordToValues(header: string[], cells: string[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const links: Record<string, Record<string, string>> = {};
  header.forEach((column, index) => {
    const cell = unescapeCell((cells[index] ?? '').trim());
    if (cell === '' || !EDITABLE_COLUMNS.includes(column)) return;
    if (column === 'genres') values.genres = cell.split(GENRE_SEPARATOR).filter((g) => g.trim() !== '');
    else if (column === 'consentMarketing' || column === 'consentAnalytics') values[column] = toBoolean(cell);
    else if ((PLATFORMS as readonly string[]).includes(column)) (links[column] ??= {}).url = cell;
    else if (column.endsWith('Handle') && (PLATFORMS as readonly string[]).includes(column.slice(0, -6))) (links[column.slice(0, -6)] ??= {}).handle = cell;
    else values[column] = cell;
  });
  if (Object.keys(links).length) values.links = links;
  return values;
}

/**
 * Reads the file with csv-parse. A file that cannot be read as CSV, or whose
 * header names unknown columns, is refused whole (400) before anything is
 * written; a record with the wrong number of cells is reported on its line.
 */
export function parseArtistsCsv(text: string, maxRows: number): CsvRecordOrError[] {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    // With `info: true` each record comes as { record, info }; the library's types do not say so.
    parsed = parse(text, { info: true, relax_column_count: true, skip_empty_lines: true, bom: true }) as unknown as typeof parsed;
  } catch (error) {
    if (error instanceof CsvError) throw invalidFile(`The file cannot be read as CSV: ${error.message}`);
    throw error;
  }
  const [headerRecord, ...rows] = parsed;
  if (!headerRecord) throw invalidFile('The file is empty; the first line must name the columns');
  const header = headerRecord.record.map((c) => c.trim());
  const unknown = header.filter((c) => !EDITABLE_COLUMNS.includes(c) && !READ_ONLY_COLUMNS.includes(c));
  if (unknown.length) throw invalidFile(`Unknown columns: ${unknown.join(', ')}. Known columns: ${EXPORT_COLUMNS.join(', ')}`);
  const repeated = header.filter((c, i) => header.indexOf(c) !== i);
  if (repeated.length) throw invalidFile(`Repeated columns: ${[...new Set(repeated)].join(', ')}`);
  if (!header.includes('stageName')) throw invalidFile('The stageName column is required');
  if (rows.length > maxRows) throw invalidFile(`At most ${maxRows} rows per import; this file has ${rows.length}`);

  return rows.map(({ record, info }) => {
    // info.lines is where the record ends; quoted cells may span lines.
    const line = info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
    if (record.length !== header.length) return { line, error: `Expected ${header.length} cells, found ${record.length}` };
    return { line, values: recordToValues(header, record) };
  });
}
