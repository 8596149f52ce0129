import type { Metadata } from 'next';
import { ExpertMissionsView } from '../../../components/commerce/ExpertMissionsView.tsx';
import { getRequestMessages } from '../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.commerce.expert.title };
}

export default function Page() {
  return <ExpertMissionsView />;
}
