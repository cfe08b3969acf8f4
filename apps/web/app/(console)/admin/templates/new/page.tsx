import { NewTemplatePage } from '@/components/templates/template-form-page';
import { titleMetadata } from '@/lib/i18n/server';

export const generateMetadata = titleMetadata('templates.form.newTitle');

export default function Page() {
  return <NewTemplatePage />;
}
