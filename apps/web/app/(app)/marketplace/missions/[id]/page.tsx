import type { Metadata } from 'next';
import { MissionDetailView } from '../../../../../components/commerce/MissionDetailView.tsx';
import { getRequestMessages } from '../../../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.commerce.mission.title };
}

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <MissionDetailView key={id} id={id} />;
}
