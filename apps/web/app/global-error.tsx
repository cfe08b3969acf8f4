'use client';

import './globals.css';

/*
 * Replaces the root layout when that layout itself fails, so none of the
 * providers (language, theme) exist here: the text is given in both languages
 * and the page keeps the default (dark) palette.
 */
export default function GlobalError({ retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body className="flex min-h-dvh items-center justify-center bg-background px-6 text-foreground">
        <title>Uni-Manager</title>
        <main className="max-w-md space-y-4 text-center">
          <h1 className="text-2xl font-semibold">Something went wrong</h1>
          <p lang="fr" className="text-lg text-muted-foreground">
            Une erreur est survenue
          </p>
          <p className="text-sm text-muted-foreground">
            An unexpected error stopped the application. / Une erreur inattendue a interrompu l’application.
          </p>
          <button
            type="button"
            onClick={() => retry()}
            className="rounded-md bg-primary px-4 py-2 text-sm font-medium text-primary-foreground focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring"
          >
            Try again / Réessayer
          </button>
        </main>
      </body>
    </html>
  );
}
