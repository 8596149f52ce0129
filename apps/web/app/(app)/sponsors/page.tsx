import type { Metadata } from 'next';
import { SponsorsAdminView } from '../../../components/sponsor-admin/SponsorsAdminView.tsx';
import { getRequestMessages } from '../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.spark.sponsorAdmin.title };
}

export default function Page() {
  return <SponsorsAdminView />;
}
