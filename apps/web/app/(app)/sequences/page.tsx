import type { Metadata } from 'next';
import { SequencesView } from '../../../components/sequences/SequencesView.tsx';
import { getRequestMessages } from '../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.notifications.sequences.title };
}

export default function Page() {
  return <SequencesView />;
}
