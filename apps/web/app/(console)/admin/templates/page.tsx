import { AdminTemplatesPage } from '@/components/templates/admin-templates-page';
import { titleMetadata } from '@/lib/i18n/server';

export const generateMetadata = titleMetadata('templates.admin.title');

export default function Page() {
  return <AdminTemplatesPage />;
}
