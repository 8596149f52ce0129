import type { Metadata } from 'next';
import { SponsorPortalView } from '../../../components/sponsor/SponsorPortalView.tsx';
import { getRequestMessages } from '../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.sponsor.portal.title };
}

export default function Page() {
  return <SponsorPortalView />;
}
