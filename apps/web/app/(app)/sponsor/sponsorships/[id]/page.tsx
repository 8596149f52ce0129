import type { Metadata } from 'next';
import { SponsorReportView } from '../../../../../components/sponsor/SponsorReportView.tsx';
import { getRequestMessages } from '../../../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.sponsor.report.title };
}

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <SponsorReportView key={id} id={id} />;
}
