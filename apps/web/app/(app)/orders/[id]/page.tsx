import type { Metadata } from 'next';
import { OrderDetailView } from '../../../../components/commerce/OrderDetailView.tsx';
import { getRequestMessages } from '../../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.commerce.orderDetail.title };
}

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <OrderDetailView key={id} id={id} />;
}
