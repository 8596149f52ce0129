import type { NextConfig } from 'next';

const isDev = process.env.NODE_ENV === 'development';

/**
 * Content-Security-Policy for the pages. Everything is first-party: the API is
 * reached same-origin through app/api/[...path]/route.ts, fonts are system fonts.
 * Next's bootstrap scripts are inline, hence 'unsafe-inline' (no nonce machinery).
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ''}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  `connect-src 'self'${isDev ? ' ws: wss:' : ''}`,
  "media-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = [
  { key: 'Content-Security-Policy', value: contentSecurityPolicy },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Workspace packages ship TypeScript sources (with `./x.ts` import specifiers).
  transpilePackages: ['@mona/sdk', '@mona/shared'],
  // /metrics: loaded by Node as it is (it reads process internals), not bundled.
  serverExternalPackages: ['prom-client'],
  async headers() {
    return [
      {
        // Pages and assets; /api/* responses keep the API's own headers (proxied as-is).
        source: '/((?!api/).*)',
        headers: securityHeaders,
      },
    ];
  },
};

export default nextConfig;
