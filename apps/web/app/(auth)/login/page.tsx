import { Suspense } from 'react';
import { LoginForm } from '@/components/auth/login-form';
import { titleMetadata } from '@/lib/i18n/server';

export const generateMetadata = titleMetadata('auth.login.title');

export default function LoginPage() {
  // The form reads ?next= from the URL, which is only known in the browser for a static shell.
  return (
    <Suspense>
      <LoginForm />
    </Suspense>
  );
}
