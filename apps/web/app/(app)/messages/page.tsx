import type { Metadata } from 'next';
import { MessagesView } from '../../../components/notifications/MessagesView.tsx';
import { getRequestMessages } from '../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.notifications.log.title };
}

export default function Page() {
  return <MessagesView />;
}
