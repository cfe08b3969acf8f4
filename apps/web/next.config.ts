import { createRequire } from 'node:module';
import path from 'node:path';
import type { NextConfig } from 'next';
import createNextIntlPlugin from 'next-intl/plugin';

// Where `next start` forwards /api/*. The browser only ever talks to the web
// origin, so the httpOnly, SameSite=Strict refresh cookie stays first-party.
const apiOrigin = (process.env.API_INTERNAL_URL ?? 'http://127.0.0.1:8000').replace(/\/+$/, '');

const isProduction = process.env.NODE_ENV === 'production';
const hsts = isProduction && process.env.WEB_HSTS !== 'false';

function contentSecurityPolicy(): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    // Next inlines its bootstrap and flight data, and next-themes' script sets
    // the theme class before first paint; both need inline scripts. React's
    // development build also evaluates code for its debugging tools.
    'script-src': ["'self'", "'unsafe-inline'", ...(isProduction ? [] : ["'unsafe-eval'"])],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

const securityHeaders = [
  { key: 'Content-Security-Policy', value: contentSecurityPolicy() },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  {
    key: 'Permissions-Policy',
    value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  },
  ...(hsts ? [{ key: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' }] : []),
];

/*
 * Messages reach next-intl precompiled (lib/i18n/compiled.ts), so its formatter
 * needs no ICU parser: this is what next-intl's own `precompile` option aliases,
 * which is only offered for JSON or PO catalogs. Turbopack takes a path
 * relative to this directory.
 */
const formatOnly = createRequire(import.meta.url).resolve('use-intl/format-message/format-only');
const formatOnlyRelative = path.relative(import.meta.dirname, formatOnly);
const formatMessageAlias = {
  'use-intl/format-message': formatOnlyRelative.startsWith('.') ? formatOnlyRelative : `./${formatOnlyRelative}`,
};

const nextConfig: NextConfig = {
  poweredByHeader: false,
  turbopack: { resolveAlias: formatMessageAlias },
  webpack(config: { resolve: { alias: Record<string, string> } }) {
    config.resolve.alias['use-intl/format-message'] = formatOnly;
    return config;
  },
  reactStrictMode: true,
  async headers() {
    // The API sets its own headers on /api responses; ours would only clash.
    return [{ source: '/:path((?!api/).*)', headers: securityHeaders }];
  },
  async rewrites() {
    return [{ source: '/api/:path*', destination: `${apiOrigin}/api/:path*` }];
  },
};

// next-intl without i18n routing: the language comes from our cookie (lib/i18n/request.ts), not the URL.
const withNextIntl = createNextIntlPlugin('./lib/i18n/request.ts');

export default withNextIntl(nextConfig);
