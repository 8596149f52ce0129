import type { Metadata } from 'next';
import { OutboxView } from '../../../components/notifications/OutboxView.tsx';
import { getRequestMessages } from '../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.notifications.outbox.title };
}

export default function Page() {
  return <OutboxView />;
}
