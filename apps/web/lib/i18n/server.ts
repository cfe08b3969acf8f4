import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import type { MessageKey } from './translate';

export { getServerLocale } from './request';

/** `generateMetadata` for a page whose title is one message; the root layout adds the product name. */
export function titleMetadata(key: MessageKey): () => Promise<Metadata> {
  return async () => {
    const t = await getTranslations();
    return { title: t(key) };
  };
}
