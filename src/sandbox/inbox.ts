import { Hono, type MiddlewareHandler } from 'hono';
import { html } from 'hono/html';
import type { KbaAnswerKey, KbaQuizBook } from './kba-quiz-book.js';
import type { IssuedLink, LinkBook } from './links.js';
import type { Outbox, SentMessage } from './outbox.js';
import { PERSONAS } from './personas.js';

export const INBOX_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * Pages the sandbox serves hold codes: never cached, never leaked through a Referer, never framed.
 * A route that set its own (stricter) policy keeps it.
 */
export const sandboxPageHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Content-Type-Options', 'nosniff');
  if (!c.res.headers.has('Content-Security-Policy')) c.header('Content-Security-Policy', INBOX_CONTENT_SECURITY_POLICY);
};

const INBOX_CSS = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.4; }
body { margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid color-mix(in srgb, currentColor 20%, transparent); padding: 0.4rem 0.6rem; text-align: start; vertical-align: top; }
.code { font-family: ui-monospace, monospace; font-size: 1.25rem; font-weight: 700; letter-spacing: 0.15em; white-space: nowrap; }
.muted { opacity: 0.7; font-size: 0.9em; }
.empty { font-style: italic; }
a { overflow-wrap: anywhere; }
.link-page main { max-width: 36rem; }
.choices { display: flex; flex-wrap: wrap; gap: 0.75rem; margin: 1.5rem 0; }
button { font: inherit; padding: 0.6rem 1.2rem; border-radius: 0.4rem; border: 2px solid currentColor; background: Canvas; color: CanvasText; cursor: pointer; }
button:not(.secondary) { background: CanvasText; color: Canvas; }
button:focus-visible { outline: 3px solid Highlight; outline-offset: 2px; }
.progress .done { opacity: 0.7; }
.progress .current { font-weight: 700; }
.progress .todo { opacity: 0.5; }
`;

function renderMessageRow(message: SentMessage) {
  const secret = message.link !== undefined ? html`<a href="${message.link}">Open link</a>` : message.code;
  return html`<tr>
      <td><time datetime="${message.sentAt}">${message.sentAt}</time></td>
      <td>${message.channel}</td>
      <td>${message.to}</td>
      <td class="code">${secret}</td>
      <td>${message.body}</td>
      <td class="muted">${message.authenticationId}</td>
    </tr>`;
}

function renderLinkRow(link: IssuedLink & { readonly state: string }) {
  return html`<tr>
      <td><time datetime="${link.issuedAt}">${link.issuedAt}</time></td>
      <td>${link.kind}</td>
      <td>${link.state}</td>
      <td><a href="${link.url}">${link.url}</a></td>
      <td class="muted">${link.authenticationId}</td>
    </tr>`;
}

function renderQuiz(quiz: KbaAnswerKey) {
  const rows = quiz.answerKey.map(
    (question) => html`<tr>
        <td class="muted">${question.questionId}</td>
        <td>${question.questionText}</td>
        <td>${question.choiceType}</td>
        <td>${question.correctChoices.map((choice) => html`<div>${choice.choiceText} <span class="muted">(${choice.choiceId})</span></div>`)}</td>
      </tr>`,
  );
  return html`<h3>Case ${quiz.authenticationId}</h3>
    <p class="muted">Questionnaire ${quiz.questionnaireId}, ${quiz.status}, ${quiz.remainingVerificationAttempts} attempt(s) left, answer before <time datetime="${quiz.expiresAt}">${quiz.expiresAt}</time>.</p>
    <table>
      <thead><tr><th scope="col">Question id</th><th scope="col">Question</th><th scope="col">Type</th><th scope="col">Correct answers (choice id)</th></tr></thead>
      <tbody>${rows}</tbody>
    </table>`;
}

interface InboxContent {
  readonly messages: readonly SentMessage[];
  readonly links: readonly (IssuedLink & { readonly state: string })[];
  readonly quizzes: readonly KbaAnswerKey[];
}

function renderInboxPage({ messages, links, quizzes }: InboxContent) {
  const personaRows = PERSONAS.map((persona) => html`<tr><td>${persona.email}</td><td>${persona.summary}</td></tr>`);
  const messageTable =
    messages.length === 0
      ? html`<p class="empty">Nothing sent yet. Start an assessment with a challenge persona.</p>`
      : html`<table>
          <thead><tr><th scope="col">Sent</th><th scope="col">Channel</th><th scope="col">To</th><th scope="col">Code or link</th><th scope="col">Message</th><th scope="col">Case (authenticationId)</th></tr></thead>
          <tbody>${messages.map(renderMessageRow)}</tbody>
        </table>`;
  const linkTable =
    links.length === 0
      ? html`<p class="empty">No links yet.</p>`
      : html`<table>
          <thead><tr><th scope="col">Issued</th><th scope="col">Kind</th><th scope="col">State</th><th scope="col">Link</th><th scope="col">Case (authenticationId)</th></tr></thead>
          <tbody>${links.map(renderLinkRow)}</tbody>
        </table>`;
  const quizList = quizzes.length === 0 ? html`<p class="empty">No questionnaires yet.</p>` : quizzes.map(renderQuiz);
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
      <p class="muted">KBA: 3 to 5 questions, 5 minutes per questionnaire, 2 attempts (a wrong first attempt brings a new questionnaire). One-time links: 10 minutes, single use, a resend kills the previous link. Document capture: one retry after “failed” or “needs retry”.</p>
      <h2>Messages (${messages.length})</h2>
      ${messageTable}
      <h2>One-time links (${links.length})</h2>
      <p>Links for one-time-link confirmation (OTH) and the fake phone page for document capture (DOCV), including DocV links shown as a QR code at checkout. Opening one on another device works the same: the link is all it takes.</p>
      ${linkTable}
      <h2>KBA answers (${quizzes.length})</h2>
      <p>The correct answers of each case’s current questionnaire (also at <code>/sandbox/kba.json?authenticationId=…</code>).</p>
      ${quizList}
    </main>
  </body>
</html>`;
}

export function inboxRoutes(outbox: Outbox, links: LinkBook, quizzes: KbaQuizBook): Hono {
  const routes = new Hono();
  routes.get('/inbox', (c) => c.html(renderInboxPage({ messages: outbox.list(), links: links.list(), quizzes: quizzes.list() })));
  routes.get('/inbox.css', (c) => c.body(INBOX_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' }));
  routes.get('/inbox.json', (c) => c.json({ messages: outbox.list(c.req.query('to')), links: links.list(), quizzes: quizzes.list() }));
  return routes;
}
