import Link from 'next/link';
import { getRequestMessages } from '../lib/locale-server.ts';

export default async function NotFound() {
  const { m } = await getRequestMessages();
  return (
    <main id="main" tabIndex={-1} className="session-pending">
      <div className="card session-card">
        <h1 className="page-title">{m.notFound.title}</h1>
        <p>{m.notFound.message}</p>
        <Link href="/" className="button button--primary">
          {m.notFound.back}
        </Link>
      </div>
    </main>
  );
}
