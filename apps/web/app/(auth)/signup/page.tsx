import type { Metadata } from 'next';
import { SignupForm } from '../../../components/SignupForm.tsx';
import { getRequestMessages } from '../../../lib/locale-server.ts';
import { safeNext } from '../../../lib/validation.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.signup.title };
}

export default async function SignupPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { next } = await searchParams;
  return <SignupForm next={safeNext(next)} />;
}
