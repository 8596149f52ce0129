import type { Metadata } from 'next';
import { StatusView } from '../../../components/StatusView.tsx';
import { getRequestMessages } from '../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.status.title };
}

export default function StatusPage() {
  return <StatusView />;
}
