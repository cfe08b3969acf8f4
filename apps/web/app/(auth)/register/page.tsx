import { Suspense } from 'react';
import { RegisterForm } from '@/components/auth/register-form';
import { titleMetadata } from '@/lib/i18n/server';

export const generateMetadata = titleMetadata('auth.register.title');

export default function RegisterPage() {
  return (
    <Suspense>
      <RegisterForm />
    </Suspense>
  );
}
