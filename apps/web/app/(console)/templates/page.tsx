import { CatalogPage } from '@/components/templates/catalog-page';
import { titleMetadata } from '@/lib/i18n/server';

export const generateMetadata = titleMetadata('templates.catalog.title');

export default function Page() {
  return <CatalogPage />;
}
