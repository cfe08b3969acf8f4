import { AccountPage } from '@/components/account/account-page';
import { titleMetadata } from '@/lib/i18n/server';

export const generateMetadata = titleMetadata('account.title');

export default function Page() {
  return <AccountPage />;
}
