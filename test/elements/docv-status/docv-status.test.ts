import { expect } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import sinon from 'sinon';
import { encode } from 'uqr';
import type { DocvProgress } from '../../../src/contract/browser.js';
import { DocvStatus } from '../../../src/elements/docv-status/docv-status.js';
import { safeCaptureUrl } from '../../../src/elements/docv-status/index.js';
import { errorOf, partOf, statusOf, textOf } from '../helpers.js';
import { currentStepOf, docvFixture, linkOf, matrixFromSvg, qrOf, stepsOf, buttonOf } from './fixtures.js';
import { CAPTURE_URL, docvAction, linkAction } from '../helpers.js';

const QUIET = 4;

describe('<docv-status>', () => {
  afterEach(() => sinon.restore());

  describe('how to start', () => {
    it('is registered, and for SMS says where the link was texted, with no QR code or link', async () => {
      const { el } = await docvFixture();
      expect(customElements.get('docv-status')).to.equal(DocvStatus);
      expect(partOf(el, 'instructions')!.textContent).to.equal(
        'We texted a link to \u2066+1\u00a0***\u00a0***\u00a04567\u2069. Open it on your phone to photograph your ID.',
      );
      expect(qrOf(el) === null, "qrOf absent").to.equal(true);
      expect(linkOf(el) === null, "linkOf absent").to.equal(true);
      await expect(el).to.be.accessible();
    });

    it('for SMS without a known number still says a link was texted', async () => {
      const { el } = await docvFixture({ action: docvAction({ destination: null }) });
      expect(partOf(el, 'instructions')!.textContent).to.equal('We texted a link to your phone. Open it to photograph your ID.');
    });

    it('for LINK shows a labelled QR code and a link that opens the capture page in a new tab', async () => {
      const { el } = await docvFixture({ action: linkAction() });
      expect(textOf(el)).to.contain("Scan this code with your phone's camera");
      const qr = qrOf(el)!;
      expect(qr.getAttribute('role')).to.equal('img');
      expect(qr.getAttribute('aria-label')).to.equal('QR code that opens the ID check on your phone');
      const link = linkOf(el)!;
      expect(link.getAttribute('href')).to.equal(CAPTURE_URL);
      expect(link.target).to.equal('_blank');
      expect(link.rel).to.equal('noopener noreferrer');
      expect(link.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Continue on this device (opens in a new tab)');
      await expect(el).to.be.accessible();
    });

    it('draws the QR code of the capture URL: the same modules as the encoder, inside a 4-module quiet zone', async () => {
      const { el } = await docvFixture({ action: linkAction() });
      const drawn = matrixFromSvg(qrOf(el)!);
      const expected = encode(CAPTURE_URL, { ecc: 'M', border: 0 }).data;
      expect(drawn.length).to.equal(expected.length + 2 * QUIET);
      // Quiet zone: the outer four rows and columns are all light.
      drawn.forEach((row, y) =>
        row.forEach((dark, x) => {
          const inMargin = x < QUIET || y < QUIET || x >= drawn.length - QUIET || y >= drawn.length - QUIET;
          if (inMargin && dark) throw new Error(`dark module in the quiet zone at ${x},${y}`);
        }),
      );
      const inner = drawn.slice(QUIET, -QUIET).map((row) => row.slice(QUIET, -QUIET));
      expect(inner.map((row) => row.map(Number).join('')).join('\n')).to.equal(
        expected.map((row) => row.map(Number).join('')).join('\n'),
      );
      // Finder patterns where a reader looks for them (this does not trust the encoder).
      const finderAt = (x0: number, y0: number) => {
        for (let y = 0; y < 7; y++)
          for (let x = 0; x < 7; x++) {
            const ring = Math.max(Math.abs(x - 3), Math.abs(y - 3));
            const dark = ring !== 2;
            if (inner[y0 + y]![x0 + x] !== dark) return false;
          }
        return true;
      };
      const n = inner.length;
      expect([finderAt(0, 0), finderAt(n - 7, 0), finderAt(0, n - 7)]).to.deep.equal([true, true, true]);
      // A different URL draws a different code (the element encodes what it is given).
      const other = encode('https://capture.kount.test/docv/s/zzz999?lang=en', { ecc: 'M', border: 0 }).data;
      expect(inner.map((row) => row.map(Number).join('')).join('')).not.to.equal(other.map((row) => row.map(Number).join('')).join(''));
    });

    it('keeps the QR code dark on light and left to right', async () => {
      const { el } = await docvFixture({ action: linkAction() });
      const qr = qrOf(el)!;
      expect(getComputedStyle(qr.querySelector('rect')!).fill).to.equal('rgb(255, 255, 255)');
      expect(getComputedStyle(qr.querySelector('path')!).fill).to.equal('rgb(0, 0, 0)');
      expect(qr.querySelector('path')!.getAttribute('d')!.length).to.be.greaterThan(100);
      expect(getComputedStyle(qr.parentElement!).direction).to.equal('ltr');
    });

    it('keeps the QR code dark on light in dark mode, while the rest follows the scheme', async () => {
      await emulateMedia({ colorScheme: 'dark' });
      try {
        const { el } = await docvFixture({ action: linkAction() });
        expect(getComputedStyle(el).color).to.equal('rgb(231, 231, 236)');
        const qr = qrOf(el)!;
        expect(getComputedStyle(qr.querySelector('rect')!).fill).to.equal('rgb(255, 255, 255)');
        expect(getComputedStyle(qr.querySelector('path')!).fill).to.equal('rgb(0, 0, 0)');
      } finally {
        await emulateMedia({ colorScheme: 'light' });
      }
    });

    it('keeps the QR code black on white under forced colours (a high-contrast theme would hide it)', async () => {
      await emulateMedia({ forcedColors: 'active', colorScheme: 'dark' });
      try {
        const { el } = await docvFixture({ action: linkAction() });
        const qr = qrOf(el)!;
        expect(getComputedStyle(qr).forcedColorAdjust).to.equal('none');
        expect(getComputedStyle(qr.querySelector('rect')!).fill).to.equal('rgb(255, 255, 255)');
        expect(getComputedStyle(qr.querySelector('path')!).fill).to.equal('rgb(0, 0, 0)');
        // No contrast check here: the test page keeps a white background whatever the scheme.
      } finally {
        await emulateMedia({ forcedColors: 'none', colorScheme: 'light' });
      }
    });

    it('stops the current-step pulse when the shopper asks for reduced motion', async () => {
      const marker = (el: HTMLElement) => el.shadowRoot!.querySelector('[aria-current="step"] .marker')!;
      const { el } = await docvFixture({ action: docvAction({ progress: 'BEGUN' }) });
      expect(getComputedStyle(marker(el)).animationName).to.equal('docv-status-pulse');
      await emulateMedia({ reducedMotion: 'reduce' });
      try {
        expect(getComputedStyle(marker(el)).animationName).to.equal('none');
      } finally {
        await emulateMedia({ reducedMotion: 'no-preference' });
      }
    });

    for (const unsafe of [
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'http://capture.kount.test/docv',
      'https://user:pass@capture.kount.test/',
      'not a url',
      'ftp://capture.kount.test/',
    ]) {
      it(`shows neither a link nor a QR code for ${unsafe.slice(0, 30)}`, async () => {
        const { el } = await docvFixture({ action: linkAction({ captureUrl: unsafe }) });
        expect(linkOf(el) === null, "linkOf absent").to.equal(true);
        expect(qrOf(el) === null, "qrOf absent").to.equal(true);
        expect(el.shadowRoot!.querySelector("a") === null, "no <a>").to.equal(true);
        expect(textOf(el)).to.contain("The link isn't available.");
        await expect(el).to.be.accessible();
      });
    }

    it('shows nothing to scan when the relay has no link', async () => {
      const { el } = await docvFixture({ action: linkAction({ captureUrl: null }) });
      expect(linkOf(el) === null, "linkOf absent").to.equal(true);
      expect(qrOf(el) === null, "qrOf absent").to.equal(true);
    });

    it('accepts https anywhere and http on the loopback host only', () => {
      expect(safeCaptureUrl('https://capture.kount.test/x')).to.equal('https://capture.kount.test/x');
      expect(safeCaptureUrl('http://localhost:8787/capture')).to.equal('http://localhost:8787/capture');
      expect(safeCaptureUrl('http://127.0.0.1:8787/capture')).to.equal('http://127.0.0.1:8787/capture');
      expect(safeCaptureUrl('http://localhost.evil.test/capture')).to.equal(null);
      expect(safeCaptureUrl('HTTPS://capture.kount.test/x')).to.equal('https://capture.kount.test/x');
      expect(safeCaptureUrl('JaVaScRiPt:alert(1)')).to.equal(null);
      expect(safeCaptureUrl('')).to.equal(null);
    });
  });

  describe('progress', () => {
    const cases: { progress: DocvProgress; current: string; done: number; text: string }[] = [
      { progress: 'SENT', current: 'SENT', done: 0, text: 'Waiting for you to open the link on your phone.' },
      { progress: 'BEGUN', current: 'BEGUN', done: 1, text: "You've opened the link. Follow the steps on your phone." },
      { progress: 'CAPTURED', current: 'CAPTURED', done: 2, text: 'We have the photos of your ID.' },
      { progress: 'PROCESSING', current: 'PROCESSING', done: 3, text: 'Checking your ID. This can take a minute.' },
      { progress: 'VERIFIED', current: 'none', done: 4, text: "We've checked your ID." },
      // A capture that did not pass stopped at the check: that step shows as failed, not as done.
      { progress: 'FAILED', current: 'PROCESSING', done: 3, text: "We couldn't verify your ID." },
      { progress: 'NEEDS_RETRY', current: 'PROCESSING', done: 3, text: "We couldn't read your ID." },
    ];
    for (const delivery of ['SMS', 'LINK'] as const) {
      for (const { progress, current, done, text } of cases) {
        it(`${delivery} ${progress}: marks the current step, says where it is, and is accessible`, async () => {
          const action = delivery === 'SMS' ? docvAction({ progress }) : linkAction({ progress });
          const { el } = await docvFixture({ action });
          expect(currentStepOf(el)).to.equal(current);
          const steps = stepsOf(el);
          expect(steps.map((step) => step.dataset.step)).to.deep.equal(['SENT', 'BEGUN', 'CAPTURED', 'PROCESSING']);
          expect(steps.filter((step) => step.getAttribute('part')!.split(' ').includes('step-done')).length).to.equal(done);
          expect(steps[0]!.textContent).to.contain(delivery === 'SMS' ? 'Link sent' : 'Link ready');
          const failed = steps.filter((step) => step.getAttribute('part')!.split(' ').includes('step-failed'));
          expect(failed.map((step) => step.dataset.step)).to.deep.equal(progress === 'FAILED' || progress === 'NEEDS_RETRY' ? ['PROCESSING'] : []);
          if (failed[0]) expect(failed[0].textContent!.replace(/\s+/g, ' ')).to.contain('Checking your ID (not passed)');
          expect(textOf(el)).to.contain(text);
          // The start instructions stay until the photos are in.
          expect(partOf(el, 'instructions') !== null).to.equal(progress === 'SENT' || progress === 'BEGUN');
          await expect(el).to.be.accessible();
        });
      }
    }

    it('reads finished steps as done and labels the list', async () => {
      const { el } = await docvFixture({ action: docvAction({ progress: 'CAPTURED' }) });
      expect(partOf(el, 'steps')!.getAttribute('aria-label')).to.equal('Progress');
      expect(stepsOf(el)[0]!.textContent!.replace(/\s+/g, ' ')).to.contain('Link sent (done)');
      expect(stepsOf(el)[2]!.textContent).not.to.contain('done');
    });

    it('announces a failure as an alert, not as a status', async () => {
      const { el } = await docvFixture({ action: docvAction({ progress: 'FAILED' }) });
      expect(errorOf(el).getAttribute('role')).to.equal('alert');
      expect(errorOf(el).textContent).to.equal("We couldn't verify your ID.");
      expect(buttonOf(el) === null, "buttonOf absent").to.equal(true);
      expect(statusOf(el).textContent!.trim()).to.equal('');
    });

    it('announces each change of progress politely, once', async () => {
      const { el } = await docvFixture({ action: docvAction({ progress: 'SENT' }) });
      expect(statusOf(el).textContent!.trim()).to.equal('');
      el.action = docvAction({ progress: 'BEGUN' });
      await el.updateComplete;
      expect(statusOf(el).textContent!.trim()).to.equal("You've opened the link. Follow the steps on your phone.");
      el.action = docvAction({ progress: 'BEGUN' });
      await el.updateComplete;
      expect(statusOf(el).textContent!.trim()).to.equal("You've opened the link. Follow the steps on your phone.");
      el.action = docvAction({ progress: 'PROCESSING' });
      await el.updateComplete;
      expect(statusOf(el).textContent!.trim()).to.equal('Checking your ID. This can take a minute.');
      expect(errorOf(el).textContent).to.equal('');
    });
  });
});
