import type { Metadata } from 'next';
import { VillaView } from '../../../../components/villa/VillaView.tsx';
import { getRequestMessages } from '../../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.spark.list.title };
}

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <VillaView key={id} id={id} />;
}
