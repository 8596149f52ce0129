import type { Metadata } from 'next';
import { UsersView } from '../../../components/UsersView.tsx';
import { getRequestMessages } from '../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.users.title };
}

export default function UsersPage() {
  return <UsersView />;
}
