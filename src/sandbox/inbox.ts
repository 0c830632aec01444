import { Hono, type MiddlewareHandler } from 'hono';
import { html } from 'hono/html';
import type { Outbox, SentMessage } from './outbox.js';
import { PERSONAS } from './personas.js';

export const INBOX_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Pages the sandbox serves hold codes: never cached, never leaked through a Referer, never framed. */
export const sandboxPageHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Content-Security-Policy', INBOX_CONTENT_SECURITY_POLICY);
};

const INBOX_CSS = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.4; }
body { margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid color-mix(in srgb, currentColor 20%, transparent); padding: 0.4rem 0.6rem; text-align: start; vertical-align: top; }
.code { font-family: ui-monospace, monospace; font-size: 1.25rem; font-weight: 700; letter-spacing: 0.15em; white-space: nowrap; }
.muted { opacity: 0.7; font-size: 0.9em; }
.empty { font-style: italic; }
`;

function renderMessageRow(message: SentMessage) {
  return html`<tr>
      <td><time datetime="${message.sentAt}">${message.sentAt}</time></td>
      <td>${message.channel}</td>
      <td>${message.to}</td>
      <td class="code">${message.code}</td>
      <td>${message.body}</td>
      <td class="muted">${message.authenticationId}</td>
    </tr>`;
}

function renderInboxPage(messages: readonly SentMessage[]) {
  const personaRows = PERSONAS.map((persona) => html`<tr><td>${persona.email}</td><td>${persona.summary}</td></tr>`);
  const messageTable =
    messages.length === 0
      ? html`<p class="empty">Nothing sent yet. Start an assessment with a challenge persona.</p>`
      : html`<table>
          <thead><tr><th scope="col">Sent</th><th scope="col">Channel</th><th scope="col">To</th><th scope="col">Code</th><th scope="col">Message</th><th scope="col">Case (authenticationId)</th></tr></thead>
          <tbody>${messages.map(renderMessageRow)}</tbody>
        </table>`;
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta http-equiv="refresh" content="5">
    <title>Kount 360 sandbox inbox</title>
    <link rel="stylesheet" href="inbox.css">
  </head>
  <body>
    <main>
      <h1>Kount 360 sandbox inbox</h1>
      <p>Every text message and e-mail the local Kount 360 simulator “sent”, newest first, with full destinations and codes. It is a test tool: nothing leaves this machine. The page refreshes every 5 seconds.</p>
      <h2>Personas</h2>
      <p>The assessment picks a persona by the applicant’s e-mail address (case and surrounding spaces ignored).</p>
      <table>
        <thead><tr><th scope="col">Applicant e-mail</th><th scope="col">What happens</th></tr></thead>
        <tbody>${personaRows}</tbody>
      </table>
      <p class="muted">Passcodes have 6 digits, live 10 minutes and work once. A case allows 10 verification attempts and 3 resends; a resend kills the previous code and never resets the attempts.</p>
      <h2>Messages (${messages.length})</h2>
      ${messageTable}
    </main>
  </body>
</html>`;
}

export function inboxRoutes(outbox: Outbox): Hono {
  const routes = new Hono();
  routes.get('/inbox', (c) => c.html(renderInboxPage(outbox.list())));
  routes.get('/inbox.css', (c) => c.body(INBOX_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' }));
  routes.get('/inbox.json', (c) => c.json({ messages: outbox.list(c.req.query('to')) }));
  return routes;
}
