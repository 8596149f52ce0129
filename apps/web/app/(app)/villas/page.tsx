import type { Metadata } from 'next';
import { VillasView } from '../../../components/villa/VillasView.tsx';
import { getRequestMessages } from '../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.spark.list.title };
}

export default function Page() {
  return <VillasView />;
}
