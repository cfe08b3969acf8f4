import { NotFoundView } from '@/components/layout/not-found-view';
import { titleMetadata } from '@/lib/i18n/server';

export const generateMetadata = titleMetadata('notFound.title');

export default function NotFound() {
  return <NotFoundView />;
}
