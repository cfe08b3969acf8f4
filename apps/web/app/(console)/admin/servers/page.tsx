import { ServersPage } from '@/components/servers/servers-page';
import { titleMetadata } from '@/lib/i18n/server';

export const generateMetadata = titleMetadata('servers.title');

export default function Page() {
  return <ServersPage />;
}
