import type { Metadata } from 'next';
import { ArtistsView } from '../../../components/artists/ArtistsView.tsx';
import { RequireRole, TEAM_ROLES } from '../../../components/RequireRole.tsx';
import { getRequestMessages } from '../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.artists.title };
}

export default function ArtistsPage() {
  return (
    <RequireRole roles={TEAM_ROLES}>
      <ArtistsView />
    </RequireRole>
  );
}
