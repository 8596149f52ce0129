import type { Metadata } from 'next';
import { CalendarView } from '../../../components/work/CalendarView.tsx';
import { getRequestMessages } from '../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.work.calendar.title };
}

export default function CalendarPage() {
  return <CalendarView />;
}
