/**
 * Every main state of every element, in every built-in language and the pseudo-locale, at a
 * phone's width: no English left (Kount's own text aside), nothing overflowing its box, and no
 * axe violation in light or dark mode.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import type { LitElement, TemplateResult } from 'lit';
import sinon from 'sinon';
import { RelayError } from '../../../src/client/index.js';
import type { SessionView } from '../../../src/contract/browser.js';
import '../../../src/elements/docv-status/define.js';
import '../../../src/elements/kba-quiz/define.js';
import '../../../src/elements/oth-waiting/define.js';
import '../../../src/elements/otp-entry/define.js';
import '../../../src/elements/verification-flow/define.js';
import { registerMessages, resetRegisteredMessages } from '../../../src/elements/shared/localize.js';
import { decidedView, docvAction, kbaAction, linkAction, othAction, otpAction, question, settle } from '../helpers.js';
import { PSEUDO_LOCALE, pseudoMessages } from './pseudo-locale.js';

export const LANGUAGES = ['en', 'es', 'fr', 'de', 'it', 'pt-BR', 'nl', 'pl', 'ja', 'zh-CN', 'ar', 'he'] as const;

/** A client whose calls never settle: each state stays as it was mounted. */
function idleClient(view: () => Promise<SessionView> = () => new Promise(() => {})) {
  const pending = () => new Promise<SessionView>(() => {});
  return { view, answer: sinon.stub().callsFake(pending), resend: sinon.stub().callsFake(pending), relay: `/verify-locales-${Math.random()}` };
}

interface State {
  readonly name: string;
  readonly render: (lang: string) => TemplateResult;
  /** Brings the mounted element to the state (a click, a failed answer). */
  readonly reach?: (el: LitElement) => Promise<void>;
}

const kount = {
  questions: [
    question('q1', 'Which of these cars have you owned?', 'multiple', ['Ford Focus', 'Honda Civic']),
    question('q2', 'Which street have you lived on?', 'single', ['Elm Street', 'Oak Avenue']),
  ],
};

const states: readonly State[] = [
  { name: 'otp-entry: a code sent', render: (lang) => html`<otp-entry lang=${lang} .client=${idleClient()} .action=${otpAction({ remainingAttempts: 3, resendAvailableInSeconds: 30, codeExpiresInSeconds: 600, remainingResends: 2 })}></otp-entry>` },
  {
    name: 'otp-entry: a wrong code',
    render: (lang) => {
      const client = idleClient();
      client.answer = sinon.stub().rejects(new RelayError('wrong_code', 'wrong', { status: 422 }));
      return html`<otp-entry lang=${lang} .client=${client} .action=${otpAction({ remainingAttempts: 3 })}></otp-entry>`;
    },
    reach: async (el) => {
      const input = el.shadowRoot!.querySelector<HTMLInputElement>('input')!;
      input.value = '123456';
      input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part="button"]')!.click();
      await settle(el, 12);
    },
  },
  { name: 'otp-entry: locked', render: (lang) => html`<otp-entry lang=${lang} .client=${idleClient()} .action=${otpAction({ lockedForSeconds: 120, remainingAttempts: 0 })}></otp-entry>` },
  { name: 'kba-quiz: a multiple-choice question with a time limit', render: (lang) => html`<kba-quiz lang=${lang} .client=${idleClient()} .action=${kbaAction({ ...kount, timeLimitSeconds: 90 })}></kba-quiz>` },
  {
    name: 'kba-quiz: the review',
    render: (lang) => html`<kba-quiz lang=${lang} .client=${idleClient()} .action=${kbaAction({ questions: [kount.questions[1]!] })}></kba-quiz>`,
    reach: async (el) => {
      el.shadowRoot!.querySelector<HTMLInputElement>('input[type="radio"]')!.click();
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part="button"]')!.click();
      await settle(el);
    },
  },
  { name: 'oth-waiting: a link sent, another channel offered', render: (lang) => html`<oth-waiting lang=${lang} .client=${idleClient()} .action=${othAction({ otherChannels: ['SMS'], resendAvailableInSeconds: 30, expiresInSeconds: 600 })}></oth-waiting>` },
  { name: 'oth-waiting: refused on the phone', render: (lang) => html`<oth-waiting lang=${lang} .client=${idleClient()} .action=${othAction({ status: 'FAILED_AUTHORIZATION' })}></oth-waiting>` },
  { name: 'docv-status: texted, resend waiting', render: (lang) => html`<docv-status lang=${lang} .client=${idleClient()} .action=${docvAction({ resendAllowed: true, sendAvailableInSeconds: 30 })}></docv-status>` },
  { name: 'docv-status: a QR code', render: (lang) => html`<docv-status lang=${lang} .client=${idleClient()} .action=${linkAction()}></docv-status>` },
  { name: 'docv-status: unreadable, retry waiting', render: (lang) => html`<docv-status lang=${lang} .client=${idleClient()} .action=${docvAction({ progress: 'NEEDS_RETRY', retryAllowed: true, remainingRetries: 1, sendAvailableInSeconds: 20 })}></docv-status>` },
  { name: 'docv-status: failed for good', render: (lang) => html`<docv-status lang=${lang} .client=${idleClient()} .action=${docvAction({ progress: 'FAILED', retryAllowed: false, remainingRetries: 0 })}></docv-status>` },
  { name: 'verification-flow: loading', render: (lang) => html`<verification-flow lang=${lang} .client=${idleClient()}></verification-flow>` },
  { name: 'verification-flow: verified', render: (lang) => html`<verification-flow lang=${lang} .client=${idleClient(() => Promise.resolve(decidedView('ALLOW')))}></verification-flow>` },
  { name: 'verification-flow: declined', render: (lang) => html`<verification-flow lang=${lang} .client=${idleClient(() => Promise.resolve(decidedView('BLOCK')))}></verification-flow>` },
  {
    name: 'verification-flow: a step in a status Kount added later',
    render: (lang) =>
      html`<verification-flow lang=${lang} .client=${idleClient(() => Promise.resolve({ state: 'challenge', step: { index: 1, total: 1 }, revision: 1, action: { method: 'UNAVAILABLE' } }))}></verification-flow>`,
  },
  {
    name: 'verification-flow: the session ended',
    render: (lang) => html`<verification-flow lang=${lang} .client=${idleClient(() => Promise.reject(new RelayError('session_expired', 'gone', { status: 401 })))}></verification-flow>`,
  },
];

/** Text Kount wrote (questions, choices) is English by nature; everything else comes from the catalogue. */
const KOUNT_TEXT = '[part="question-text"], .choice-text, .review-question, .review-answers';

/** Every text the shopper sees or hears, through nested shadow roots: text nodes and accessible names. */
function texts(root: ShadowRoot | Element, into: string[] = []): string[] {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node instanceof Text) {
      const parent = node.parentElement;
      if (!parent || parent.closest(`style, ${KOUNT_TEXT}`)) continue;
      const text = node.data.replace(/\s+/g, ' ').trim();
      if (text) into.push(text);
    } else if (node instanceof Element) {
      const label = node.getAttribute('aria-label');
      if (label) into.push(label);
      if (node.shadowRoot) texts(node.shadowRoot, into);
    }
  }
  return into;
}

/** Elements whose content is wider than their box (text cut off or spilling out). */
function overflowing(root: ShadowRoot, into: string[] = []): string[] {
  for (const element of root.querySelectorAll<HTMLElement>('*')) {
    if (element.shadowRoot) overflowing(element.shadowRoot, into);
    // Screen-reader-only text is clipped to a pixel on purpose.
    if (element.closest('svg, .visually-hidden') || element.clientWidth === 0) continue;
    if (element.scrollWidth > element.clientWidth + 1) into.push(`<${element.localName} part="${element.getAttribute('part') ?? ''}">: ${element.scrollWidth} > ${element.clientWidth}`);
  }
  return into;
}

/**
 * Switches the colour scheme and waits for it to reach the shadow roots: Chromium re-evaluates
 * the media queries of adopted style sheets a frame later than the document's.
 */
async function scheme(colorScheme: 'light' | 'dark', el?: LitElement): Promise<void> {
  await emulateMedia({ colorScheme });
  const text = colorScheme === 'dark' ? '#e7e7ec' : '#1b1b1f';
  const canvas = colorScheme === 'dark' ? 'rgb(18, 18, 18)' : 'rgb(255, 255, 255)';
  const settled = () =>
    !el ||
    (getComputedStyle(el).getPropertyValue('--_verify-color-text').includes(text) && getComputedStyle(el.parentElement!).backgroundColor === canvas);
  // Twice, a frame apart: the page and the shadow roots settle separately.
  for (let round = 0; round < 2; round++) {
    await waitUntil(settled, `the ${colorScheme} scheme`);
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  }
}

async function mount(state: State, lang: string): Promise<LitElement> {
  // A page that follows the colour scheme, as a page using the elements' dark defaults does.
  const wrapper = await fixture<HTMLDivElement>(
    html`<div style="inline-size: 358px; padding: 16px; color-scheme: light dark; background: Canvas; color: CanvasText">${state.render(lang)}</div>`,
  );
  const el = wrapper.firstElementChild as LitElement;
  await el.updateComplete;
  await settle(el);
  if (state.reach) await state.reach(el);
  // Nested step elements and the flow's own loads settle too.
  await new Promise((done) => setTimeout(done, 30));
  await settle(el);
  return el;
}

describe('every main state in every language', () => {
  const english = new Map<string, string[]>();

  before(async () => {
    await setViewport({ width: 390, height: 844 });
    // No colour transitions: axe reads the colours at once after each change of scheme.
    await emulateMedia({ reducedMotion: 'reduce' });
    registerMessages(PSEUDO_LOCALE, pseudoMessages());
    for (const state of states) {
      const el = await mount(state, 'en');
      english.set(state.name, texts(el.shadowRoot!));
    }
  });
  after(async () => {
    resetRegisteredMessages();
    await emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
    await setViewport({ width: 800, height: 600 });
  });
  afterEach(() => sinon.restore());

  for (const lang of [...LANGUAGES, PSEUDO_LOCALE]) {
    describe(lang, () => {
      for (const state of states) {
        it(state.name, async () => {
          await scheme('light');
          const el = await mount(state, lang);
          await scheme('light', el);
          const shown = texts(el.shadowRoot!);
          expect(shown.length, 'something is shown').to.be.greaterThan(0);
          if (lang === PSEUDO_LOCALE) {
            // Every word came through the catalogue: a plain-English text was written into a template.
            const plain = shown.filter((text) => /[A-Za-z]{3,}/.test(text.replace(/\u2066[^\u2069]*\u2069/g, '')) && !/[^\x00-\x7f]/.test(text));
            expect(plain, 'hard-coded English').to.deep.equal([]);
          } else if (lang !== 'en') {
            const englishTexts = new Set(english.get(state.name));
            const leftovers = shown.filter((text) => englishTexts.has(text) && /[A-Za-z]{4,}/.test(text));
            expect(leftovers, 'English left in the page').to.deep.equal([]);
          }
          expect(overflowing(el.shadowRoot!), 'overflow at 390 px').to.deep.equal([]);
          await expect(el).to.be.accessible();
          await scheme('dark', el);
          await expect(el).to.be.accessible();
        });
      }
    });
  }
});
