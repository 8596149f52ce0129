import { HomeRedirect } from '../components/HomeRedirect.tsx';

export default function HomePage() {
  return <HomeRedirect />;
}
