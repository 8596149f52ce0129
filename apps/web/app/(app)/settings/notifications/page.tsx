import type { Metadata } from 'next';
import { PreferencesView } from '../../../../components/notifications/PreferencesView.tsx';
import { getRequestMessages } from '../../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.notifications.preferences.title };
}

export default function Page() {
  return <PreferencesView />;
}
