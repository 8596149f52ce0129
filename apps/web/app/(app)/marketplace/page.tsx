import type { Metadata } from 'next';
import { MarketplaceView } from '../../../components/commerce/MarketplaceView.tsx';
import { getRequestMessages } from '../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.commerce.marketplace.title };
}

export default function Page() {
  return <MarketplaceView />;
}
