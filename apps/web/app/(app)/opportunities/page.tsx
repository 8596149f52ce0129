import type { Metadata } from 'next';
import { OpportunitiesView } from '../../../components/work/OpportunitiesView.tsx';
import { getRequestMessages } from '../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.work.opportunities.title };
}

export default function OpportunitiesPage() {
  return <OpportunitiesView />;
}
