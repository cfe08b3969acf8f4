import { RoleDashboard } from '@/components/overview/role-dashboard';
import { titleMetadata } from '@/lib/i18n/server';

export const generateMetadata = titleMetadata('dashboard.title');

export default function Page() {
  // Admins watch the platform; everyone else their own account.
  return <RoleDashboard />;
}
