import type { IncomingMessage } from 'node:http';
import helmet from 'helmet';
import { DOCS_PATH } from './openapi';

/**
 * Pages whose markup carries a `<style>` block: Swagger UI at /docs and the printable audit report.
 * Inline styles cannot run code; inline scripts stay forbidden everywhere.
 */
const INLINE_STYLE_PAGES = [new RegExp(`^/${DOCS_PATH}(/|$)`), /^\/audit\/requests\/[^/]+\/report\.html$/];

function styleSources(req: IncomingMessage): string {
  const path = (req.url ?? '').split('?')[0];
  return INLINE_STYLE_PAGES.some((page) => page.test(path)) ? "'self' 'unsafe-inline'" : "'self'";
}

/**
 * Security headers on every answer (helmet): a content security policy that allows only our own
 * scripts (Swagger UI's are files under /docs, none inline), no MIME sniffing, no framing, no
 * referrer, HSTS for whoever serves us over TLS.
 */
export function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: [styleSources],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}
