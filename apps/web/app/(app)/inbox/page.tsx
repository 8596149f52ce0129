import type { Metadata } from 'next';
import { InboxView } from '../../../components/notifications/InboxView.tsx';
import { getRequestMessages } from '../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.notifications.inbox.title };
}

export default function Page() {
  return <InboxView />;
}
