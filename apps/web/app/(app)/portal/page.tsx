import type { Metadata } from 'next';
import { PortalView } from '../../../components/commerce/PortalView.tsx';
import { getRequestMessages } from '../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.commerce.portal.title };
}

export default function Page() {
  return <PortalView />;
}
