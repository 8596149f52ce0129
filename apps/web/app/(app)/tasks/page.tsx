import type { Metadata } from 'next';
import { TasksView } from '../../../components/work/TasksView.tsx';
import { getRequestMessages } from '../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.work.tasks.title };
}

export default function TasksPage() {
  return <TasksView />;
}
