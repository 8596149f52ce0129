import type { Metadata } from 'next';
import { OutboxEntryView } from '../../../../components/notifications/OutboxView.tsx';
import { getRequestMessages } from '../../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.notifications.outbox.entryTitle };
}

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <OutboxEntryView key={id} id={id} />;
}
