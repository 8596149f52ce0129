import type { Metadata } from 'next';
import { SequenceView } from '../../../../components/sequences/SequenceView.tsx';
import { getRequestMessages } from '../../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.notifications.sequences.title };
}

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <SequenceView key={id} id={id} />;
}
