import type { Metadata } from 'next';
import { PipelineView } from '../../../components/pipeline/PipelineView.tsx';
import { RequireRole, TEAM_ROLES } from '../../../components/RequireRole.tsx';
import { getRequestMessages } from '../../../lib/locale-server.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return { title: m.pipeline.title };
}

export default function PipelinePage() {
  return (
    <RequireRole roles={TEAM_ROLES}>
      <PipelineView />
    </RequireRole>
  );
}
