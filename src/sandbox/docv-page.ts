import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import type { DocumentVerificationStatus } from '../contract/kount/index.js';
import { DOCV_PAGE_STEPS, type DocvLinkHandler, type DocvPageStep } from './links.js';
import { formField, linkPageHeaders, renderLinkPage, unknownLinkPage } from './link-pages.js';
import type { LinkBook } from './links.js';
import { refuseCrossSiteChanges } from './same-site-guard.js';

const PROGRESS: readonly { readonly status: DocumentVerificationStatus; readonly label: string }[] = [
  { status: 'MESSAGE_SENT', label: 'Link opened, not started (MESSAGE_SENT)' },
  { status: 'FLOW_BEGUN', label: 'Capture begun (FLOW_BEGUN)' },
  { status: 'CAPTURED', label: 'Document and selfie captured (CAPTURED)' },
  { status: 'PROCESSING', label: 'Processing (PROCESSING)' },
];

const BUTTONS: Readonly<Partial<Record<DocumentVerificationStatus, readonly { readonly step: DocvPageStep; readonly label: string }[]>>> = {
  MESSAGE_SENT: [{ step: 'begin', label: 'Begin' }],
  FLOW_BEGUN: [{ step: 'capture', label: 'Capture document' }],
  CAPTURED: [{ step: 'process', label: 'Send for processing' }],
  PROCESSING: [
    { step: 'verified', label: 'Result: verified' },
    { step: 'failed', label: 'Result: failed' },
    { step: 'needs-retry', label: 'Result: needs retry' },
  ],
};

const isPageStep = (value: string | undefined): value is DocvPageStep => DOCV_PAGE_STEPS.some((step) => step === value);

function renderPhone(c: Context, handler: DocvLinkHandler, token: string) {
  const state = handler.linkState(token);
  if (state === 'replaced') {
    return renderLinkPage(c, 200, 'This link was replaced', html`<p>A newer capture link was sent, so this one no longer works.</p>`);
  }
  const status = handler.status;
  if (state === 'done') {
    return renderLinkPage(
      c,
      200,
      'Document check finished',
      html`<p>Result: <strong class="status">${status}</strong>. The checkout shows what happens next; you can close this page.</p>`,
    );
  }
  const reached = PROGRESS.findIndex((entry) => entry.status === status);
  const steps = PROGRESS.map(
    (entry, index) => html`<li class="${index < reached ? 'done' : index === reached ? 'current' : 'todo'}">${entry.label}</li>`,
  );
  const buttons = (BUTTONS[status] ?? []).map(
    (button, index) => html`<button type="submit" name="step" value="${button.step}"${index > 0 ? html` class="secondary"` : ''}>${button.label}</button>`,
  );
  return renderLinkPage(
    c,
    200,
    'Fake phone: document capture',
    html`<p>This page stands in for Kount’s capture flow on a phone. Each button moves the check one step and sends the signed webhooks.</p>
      <ol class="progress">${steps}</ol>
      <form method="post" action="/sandbox/docv/${token}" class="choices">${buttons}</form>`,
  );
}

/**
 * `GET /sandbox/docv/<token>`: the fake phone page. `POST` with `step=begin|capture|process|verified|failed|needs-retry`
 * takes that step when the flow is there (anything else changes nothing) and redirects (303) back.
 */
export function docvPageRoutes(links: LinkBook): Hono {
  const routes = new Hono();
  routes.use('/docv/*', linkPageHeaders, refuseCrossSiteChanges);
  routes.get('/docv/:token', (c) => {
    const token = c.req.param('token');
    const handler = links.findDocv(token);
    return handler === undefined ? unknownLinkPage(c) : renderPhone(c, handler, token);
  });
  routes.post('/docv/:token', async (c) => {
    const token = c.req.param('token');
    const handler = links.findDocv(token);
    if (handler === undefined) return unknownLinkPage(c);
    const step = await formField(c, 'step');
    if (!isPageStep(step)) {
      return renderLinkPage(c, 400, 'Choose a step', html`<p>Use one of the buttons on <a href="/sandbox/docv/${token}">the capture page</a>.</p>`);
    }
    handler.advance(token, step);
    return c.redirect(`/sandbox/docv/${token}`, 303);
  });
  return routes;
}
