import type { Metadata } from 'next';
import { OrdersView } from '../../../components/commerce/OrdersView.tsx';
import { getRequestMessages } from '../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.commerce.orders.title };
}

export default function Page() {
  return <OrdersView />;
}
