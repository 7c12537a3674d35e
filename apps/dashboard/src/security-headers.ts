import helmet from 'helmet';

/**
 * helmet's headers with a Content-Security-Policy for both the operations pages and Bull Board: scripts only from
 * this origin (Bull Board's bundles are static files; its inline config is a JSON block, which CSP does not run);
 * inline styles allowed because both use style attributes; no other site (Bull Board's web fonts are left out).
 * No upgrade-insecure-requests: the dashboard is also served over plain HTTP (local stack, in-cluster probes).
 */
export function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        fontSrc: ["'self'", 'data:'],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
  });
}
