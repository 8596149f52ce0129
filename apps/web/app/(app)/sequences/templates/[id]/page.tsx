import type { Metadata } from 'next';
import { TemplateView } from '../../../../../components/sequences/TemplatesView.tsx';
import { getRequestMessages } from '../../../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.notifications.templates.title };
}

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <TemplateView key={id} id={id} />;
}
