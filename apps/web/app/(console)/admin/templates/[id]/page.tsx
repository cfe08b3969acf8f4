import { EditTemplatePage } from '@/components/templates/template-form-page';
import { titleMetadata } from '@/lib/i18n/server';

export const generateMetadata = titleMetadata('templates.form.editTitle');

// Typed by hand rather than with the generated PageProps so typecheck works before a first build.
export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <EditTemplatePage id={id} />;
}
