import type { Metadata } from 'next';
import { MessageDetailView } from '../../../../components/notifications/MessageDetailView.tsx';
import { getRequestMessages } from '../../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.notifications.message.title };
}

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <MessageDetailView key={id} id={id} />;
}
