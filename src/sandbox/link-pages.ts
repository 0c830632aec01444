import type { Context, MiddlewareHandler } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/**
 * Link pages hold bearer links and post forms: no script at all, forms only to the sandbox itself,
 * never framed, never cached, never leaked through a Referer (SECURITY 19).
 */
export const LINK_PAGE_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export const linkPageHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('Content-Security-Policy', LINK_PAGE_CONTENT_SECURITY_POLICY);
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cache-Control', 'no-store');
  c.header('X-Content-Type-Options', 'nosniff');
};

type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

/**
 * A whole page. The stylesheet and form actions are absolute paths on the sandbox itself: nothing
 * is built from the request's Host header, and `'self'` covers them however the page was reached.
 */
export function renderLinkPage(c: Context, status: 200 | 400 | 404, title: string, body: Markup): Response | Promise<Response> {
  return c.html(
    html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="referrer" content="no-referrer">
    <title>${title}</title>
    <link rel="stylesheet" href="/sandbox/inbox.css">
  </head>
  <body class="link-page">
    <main>
      <p class="muted">Kount 360 sandbox — a test tool, nothing here is real.</p>
      <h1>${title}</h1>
      ${body}
    </main>
  </body>
</html>`,
    status,
  );
}

/** A form field from an `application/x-www-form-urlencoded` body; anything else reads as absent. */
export async function formField(c: Context, name: string): Promise<string | undefined> {
  if (!/^application\/x-www-form-urlencoded\b/i.test((c.req.header('content-type') ?? '').trim())) return undefined;
  const text = await c.req.text();
  if (text.length > 4096) return undefined;
  return new URLSearchParams(text).get(name) ?? undefined;
}

export function unknownLinkPage(c: Context): Response | Promise<Response> {
  return renderLinkPage(c, 404, 'This link is not valid', html`<p>Check that the whole link was copied, or ask the checkout page for a new one.</p>`);
}
