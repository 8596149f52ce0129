import type { Metadata } from 'next';
import { ArtistView } from '../../../../components/artist/ArtistView.tsx';
import { getRequestMessages } from '../../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.artist.title };
}

/** Team members see any artist; an artist sees only their own record (the API answers 404 otherwise). */
export default async function ArtistPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ArtistView key={id} id={id} />;
}
