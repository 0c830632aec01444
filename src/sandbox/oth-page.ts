import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { formField, linkPageHeaders, renderLinkPage, unknownLinkPage } from './link-pages.js';
import type { LinkBook } from './links.js';
import type { OthLinkHandler, OthLinkState } from './links.js';
import { refuseCrossSiteChanges } from './same-site-guard.js';

const TITLES: Readonly<Record<OthLinkState, string>> = {
  live: 'Is this you?',
  verified: 'Thanks, you are verified',
  refused: 'Thanks for telling us',
  expired: 'This link has expired',
  replaced: 'This link was replaced',
  closed: 'This verification has ended',
};

function stateText(state: Exclude<OthLinkState, 'live'>) {
  switch (state) {
    case 'verified':
      return html`<p>You confirmed it was you. The checkout continues by itself: you can close this page. The link cannot be used again.</p>`;
    case 'refused':
      return html`<p>You said it was not you, so the checkout that asked for this link has been stopped. The link cannot be used again.</p>`;
    case 'expired':
      return html`<p>Links work for 10 minutes. Ask the checkout page to send a new one.</p>`;
    case 'replaced':
      return html`<p>A newer link was sent, so this one no longer works. Use the most recent message.</p>`;
    case 'closed':
      return html`<p>The verification this link belongs to has ended. It no longer works.</p>`;
  }
}

function renderState(c: Context, handler: OthLinkHandler, token: string) {
  const state = handler.linkState(token);
  if (state !== 'live') return renderLinkPage(c, 200, TITLES[state], stateText(state));
  const via = handler.channel === 'SMS' ? 'a text message' : 'an e-mail';
  return renderLinkPage(
    c,
    200,
    TITLES.live,
    html`<p>Someone is checking out with your details and asked us to send this link by ${via}. Was it you?</p>
      <form method="post" action="/sandbox/oth/${token}" class="choices">
        <button type="submit" name="choice" value="confirm">Yes, it’s me</button>
        <button type="submit" name="choice" value="refuse" class="secondary">This wasn’t me</button>
      </form>
      <p class="muted">Opening this page changes nothing; only a button does. You can open it on any device.</p>`,
  );
}

/**
 * `GET /sandbox/oth/<token>` shows the link's page; `POST` with `choice=confirm|refuse` (a plain
 * form, no script) completes or refuses the step, which sends the signed webhook, then redirects
 * (303) back to the page, which now says what happened.
 */
export function othPageRoutes(links: LinkBook): Hono {
  const routes = new Hono();
  routes.use('/oth/*', linkPageHeaders, refuseCrossSiteChanges);
  routes.get('/oth/:token', (c) => {
    const token = c.req.param('token');
    const handler = links.findOth(token);
    return handler === undefined ? unknownLinkPage(c) : renderState(c, handler, token);
  });
  routes.post('/oth/:token', async (c) => {
    const token = c.req.param('token');
    const handler = links.findOth(token);
    if (handler === undefined) return unknownLinkPage(c);
    const choice = await formField(c, 'choice');
    if (choice === 'confirm') handler.confirm(token);
    else if (choice === 'refuse') handler.refuse(token);
    else return renderLinkPage(c, 400, 'Choose an answer', html`<p>Use one of the buttons on <a href="/sandbox/oth/${token}">the link’s page</a>.</p>`);
    return c.redirect(`/sandbox/oth/${token}`, 303);
  });
  return routes;
}
