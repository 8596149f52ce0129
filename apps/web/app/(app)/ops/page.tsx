import type { Metadata } from 'next';
import { OpsView } from '../../../components/ops/OpsView.tsx';
import { getRequestMessages } from '../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.ops.title };
}

export default function Page() {
  return <OpsView />;
}
