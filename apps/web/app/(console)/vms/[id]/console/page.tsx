import { VmConsolePage } from '@/components/console/vm-console-page';
import { titleMetadata } from '@/lib/i18n/server';

export const generateMetadata = titleMetadata('vmConsole.title');

// Typed by hand rather than with the generated PageProps so typecheck works before a first build.
export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <VmConsolePage id={id} />;
}
