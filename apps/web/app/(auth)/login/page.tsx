import type { Metadata } from 'next';
import { LoginForm } from '../../../components/LoginForm.tsx';
import { getRequestMessages } from '../../../lib/locale-server.ts';
import { safeNext } from '../../../lib/validation.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.login.title };
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { next } = await searchParams;
  return <LoginForm next={safeNext(next)} />;
}
