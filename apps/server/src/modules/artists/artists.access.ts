import { isTeamRole } from '@mona/shared';
import { conflict, notFound } from '../../platform/errors.ts';
import type { Caller } from '../../platform/http/auth.ts';
import type { ArtistRow } from './artists.repository.ts';

/**
 * Who may read an artist: the team (admin, staff) any artist; an artist only
 * their own record. Anyone else gets the same 404 as for a missing id, so ids
 * of other artists are not confirmed.
 */
export function assertCanReadArtist(caller: Caller, artist: ArtistRow | undefined): asserts artist is ArtistRow {
  if (!artist) throw notFound('Artist not found');
  if (isTeamRole(caller.role)) return;
  if (caller.role === 'artist' && artist.userId === caller.id) return;
  throw notFound('Artist not found');
}

/**
 * The artist that team work (an interaction, a task, an opportunity, an event)
 * is being created for: 404 when it does not exist, 409 when it is archived.
 */
export function assertArtistOpenForWork(artist: ArtistRow | undefined, what: string): asserts artist is ArtistRow {
  if (!artist) throw notFound('Artist not found');
  if (artist.archivedAt) throw conflict(`Cannot add ${what}: the artist ${artist.stageName} is archived`);
}
