import type { Metadata } from 'next';
import { TemplatesView } from '../../../../components/sequences/TemplatesView.tsx';
import { getRequestMessages } from '../../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.notifications.templates.title };
}

export default function Page() {
  return <TemplatesView />;
}
