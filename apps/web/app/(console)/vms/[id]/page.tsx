import { Suspense } from 'react';
import { VmDetailPage } from '@/components/vms/vm-detail-page';
import { titleMetadata } from '@/lib/i18n/server';

export const generateMetadata = titleMetadata('vms.detail.title');

// Typed by hand rather than with the generated PageProps so typecheck works before a first build.
export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // The chart range lives in the query string.
  return (
    <Suspense>
      <VmDetailPage id={id} />
    </Suspense>
  );
}
