import type { Metadata } from 'next';
import { OffersView } from '../../../components/commerce/OffersView.tsx';
import { getRequestMessages } from '../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.commerce.offers.title };
}

export default function Page() {
  return <OffersView />;
}
