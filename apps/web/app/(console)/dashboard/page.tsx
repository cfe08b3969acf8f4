import { DashboardPage } from '@/components/dashboard/dashboard-page';
import { titleMetadata } from '@/lib/i18n/server';

export const generateMetadata = titleMetadata('dashboard.title');

export default function Page() {
  return <DashboardPage />;
}
