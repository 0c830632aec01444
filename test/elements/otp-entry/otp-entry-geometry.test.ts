/**
 * The boxes hold their shape: their size comes from the design tokens and the width the page
 * gives the element, never from the text around them (a hint, an error, a countdown, a language
 * whose lines wrap at every character). Measured in real layout, at a phone's and a desktop's
 * width; `npm run test:unit` installs the CJK fonts first (test/ensure-chromium.js), so Japanese
 * and Chinese lines have the widths a shopper's browser gives them.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import sinon from 'sinon';
import type { OtpEntry } from '../../../src/elements/otp-entry/otp-entry.js';
import { otpAction, relayError, settle, textOf } from '../helpers.js';
import { challengeView, fakeClient, inputOf, otpFixture, typeInto, type FakeClient } from './fixtures.js';

/** The defaults of `--otp-entry-slot-size`, `--otp-entry-slot-ratio` and `--otp-entry-slot-gap` at a 16 px root. */
const BOX_WIDTH = 48;
const BOX_HEIGHT = 56;
const GAP = 8;
const CODE_LENGTH = 6;
/** Layout rounds to 1/64 px; anything larger is a box of another size. */
const TOLERANCE = 0.1;

interface Reached {
  readonly el: OtpEntry;
  /** Proof that the state was reached, so a state that silently failed cannot pass. */
  readonly check: (el: OtpEntry) => void;
}

/** Mounts an element whose answer fails with `code`, then enters a whole code. */
async function refused(lang: string, configure: (client: FakeClient) => void): Promise<OtpEntry> {
  const client = fakeClient();
  configure(client);
  const { el } = await otpFixture({ lang, client, action: otpAction({ remainingAttempts: 3, codeExpiresInSeconds: 600 }) });
  typeInto(el, '000000');
  await settle(el);
  return el;
}

const STATES: Record<string, (lang: string) => Promise<Reached>> = {
  idle: async (lang) => {
    const { el } = await otpFixture({ lang, action: otpAction({ remainingAttempts: 3, codeExpiresInSeconds: 600 }) });
    return { el, check: (mounted) => expect(mounted.value).to.equal('') };
  },
  typing: async (lang) => {
    const { el } = await otpFixture({ lang, action: otpAction({ remainingAttempts: 3, codeExpiresInSeconds: 600 }) });
    inputOf(el).focus();
    typeInto(el, '12');
    await settle(el);
    return { el, check: (mounted) => expect(mounted.value).to.equal('12') };
  },
  'wrong code': async (lang) => {
    const el = await refused(lang, (client) => {
      client.answer.rejects(relayError('wrong_code', 422));
      client.view.resolves(challengeView(otpAction({ remainingAttempts: 2, codeExpiresInSeconds: 600 }), 3));
    });
    return { el, check: (mounted) => expect(mounted.errorCode).to.equal('wrong_code') };
  },
  lockout: async (lang) => {
    const el = await refused(lang, (client) => client.answer.rejects(relayError('too_many_attempts', 429, { retryAfterSeconds: 300 })));
    return {
      el,
      check: (mounted) => {
        expect(mounted.errorCode).to.equal('too_many_attempts');
        expect(inputOf(mounted).getAttribute('aria-disabled'), 'locked').to.equal('true');
        expect(mounted.shadowRoot!.querySelector('#details')!.textContent!.trim(), 'the countdown').not.to.equal('');
      },
    };
  },
  expired: async (lang) => {
    const el = await refused(lang, (client) => client.answer.rejects(relayError('code_expired', 422)));
    return { el, check: (mounted) => expect(mounted.errorCode).to.equal('code_expired') };
  },
};

const LOCALES = ['en', 'de', 'ar', 'ja', 'zh-CN'] as const;
const WIDTHS = [320, 1280] as const;

const boxesOf = (el: OtpEntry): DOMRect[] =>
  [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="slot"]')].map((box) => box.getBoundingClientRect());

/** The size a box should have: the tokens', unless the element is too narrow for the row; then smaller, of the same shape. */
function expectedBox(el: OtpEntry): { width: number; height: number } {
  const style = getComputedStyle(el);
  const available = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const width = Math.min(BOX_WIDTH, (available - (CODE_LENGTH - 1) * GAP) / CODE_LENGTH);
  return { width, height: (width * BOX_HEIGHT) / BOX_WIDTH };
}

const size = (box: DOMRect): string => `${box.width.toFixed(2)}×${box.height.toFixed(2)}`;

describe('<otp-entry> box geometry', () => {
  let viewport: { width: number; height: number };
  before(() => {
    viewport = { width: window.innerWidth, height: window.innerHeight };
  });
  after(async () => {
    await setViewport(viewport);
  });
  afterEach(() => sinon.restore());

  for (const width of WIDTHS) {
    describe(`at ${width} px`, () => {
      before(async () => {
        await setViewport({ width, height: 900 });
      });

      for (const lang of LOCALES) {
        it(`keeps every box the same size in every state in ${lang}`, async () => {
          const measured: { state: string; boxes: DOMRect[]; host: DOMRect }[] = [];
          let expected: { width: number; height: number } | undefined;
          for (const [state, reach] of Object.entries(STATES)) {
            const { el, check } = await reach(lang);
            check(el);
            expect(textOf(el), `${state}: rendered`).not.to.equal('');
            expected ??= expectedBox(el);
            measured.push({ state, boxes: boxesOf(el), host: el.getBoundingClientRect() });
          }
          // Every size in the message, so one failure shows the whole picture.
          const sizes = measured.map(({ state, boxes }) => `${state}: ${[...new Set(boxes.map(size))].join(' / ')}`).join('; ');
          const want = expected!;
          for (const { state, boxes, host } of measured) {
            expect(boxes, `${state}: a box per digit`).to.have.length(CODE_LENGTH);
            for (const [index, box] of boxes.entries()) {
              const which = `${state}, box ${index + 1} (expected ${want.width.toFixed(2)}×${want.height.toFixed(2)}; measured ${sizes})`;
              expect(box.width, `${which}: width`).to.be.closeTo(want.width, TOLERANCE);
              expect(box.height, `${which}: height`).to.be.closeTo(want.height, TOLERANCE);
              // The row holds its boxes: none overlaps the next, none leaves the element.
              if (index > 0) expect(box.left - boxes[index - 1]!.right, `${state}: gap before box ${index + 1}`).to.be.closeTo(GAP, TOLERANCE);
              expect(box.left, `${which}: inside the element`).to.be.at.least(host.left - TOLERANCE);
              expect(box.right, `${which}: inside the element`).to.be.at.most(host.right + TOLERANCE);
            }
          }
        });
      }
    });
  }

  describe('in the page', () => {
    before(async () => {
      await setViewport({ width: 1280, height: 900 });
    });

    it('keeps the tokens\' size in a container as wide as its content', async () => {
      const wrapper = await fixture<HTMLDivElement>(
        html`<div style="display: flex; align-items: flex-start"><otp-entry lang="zh-CN" .action=${otpAction({ lockedForSeconds: 300 })}></otp-entry></div>`,
      );
      const el = wrapper.firstElementChild as OtpEntry;
      await settle(el);
      for (const box of boxesOf(el)) expect(size(box)).to.equal(`${BOX_WIDTH.toFixed(2)}×${BOX_HEIGHT.toFixed(2)}`);
    });

    it('sits at the start, or in the middle with --otp-entry-slots-align: center', async () => {
      const { el } = await otpFixture({ lang: 'ar' });
      const host = el.getBoundingClientRect();
      const row = () => el.shadowRoot!.querySelector('[part="slots"]')!.getBoundingClientRect();
      expect(row().right, 'start is the right in Arabic').to.be.closeTo(host.right, TOLERANCE);
      el.style.setProperty('--otp-entry-slots-align', 'center');
      const centred = row();
      expect(centred.left - host.left).to.be.closeTo(host.right - centred.right, 1);
      expect(centred.width).to.be.closeTo(CODE_LENGTH * BOX_WIDTH + (CODE_LENGTH - 1) * GAP, TOLERANCE);
    });
  });
});
