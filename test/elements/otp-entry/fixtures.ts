import { fixture, html } from '@open-wc/testing';
import sinon from 'sinon';
import type { OtpActionView, SessionView } from '../../../src/contract/browser.js';
import '../../../src/elements/otp-entry/define.js';
import type { OtpEntry, OtpEntryClient } from '../../../src/elements/otp-entry/otp-entry.js';
import { challengeViewOf, otpAction, pendingStub } from '../helpers.js';

/**
 * Chromium ships WebOTP, so every SMS fixture would make a real `navigator.credentials.get` wait
 * for an SMS. Each test gets a fake instead (a root hook for every file importing these helpers):
 * requests stay pending until a test resolves them, and reject when aborted, like the real one.
 */
export const webOtp = {
  get: undefined as unknown as sinon.SinonStub,
  signals: [] as AbortSignal[],
  resolveLatest: (_code: string) => {},
};

beforeEach(() => {
  webOtp.signals = [];
  if (!('OTPCredential' in window)) (window as unknown as { OTPCredential: unknown }).OTPCredential = class {};
  webOtp.get = sinon.stub(navigator.credentials, 'get').callsFake((options?: CredentialRequestOptions) => {
    const signal = options!.signal!;
    webOtp.signals.push(signal);
    return new Promise((resolve, reject) => {
      webOtp.resolveLatest = (code) => resolve({ id: '', type: 'otp', code } as unknown as Credential);
      signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    });
  });
});

afterEach(() => {
  // A test's own `sinon.restore()` may have restored it already.
  if ('restore' in navigator.credentials.get) webOtp.get.restore();
});

export const challengeView = (action: OtpActionView = otpAction(), revision = 2): SessionView => challengeViewOf(action, revision);

export type FakeClient = {
  [K in keyof OtpEntryClient]: sinon.SinonStub<Parameters<OtpEntryClient[K]>, ReturnType<OtpEntryClient[K]>>;
};

/** A client whose calls never settle unless a test says otherwise. */
export function fakeClient(): FakeClient {
  return { view: pendingStub(), answer: pendingStub(), resend: pendingStub() };
}

export async function otpFixture(
  options: { action?: OtpActionView; client?: FakeClient; lang?: string } = {},
): Promise<{ el: OtpEntry; client: FakeClient }> {
  const client = options.client ?? fakeClient();
  const action = options.action ?? otpAction();
  const el = await fixture<OtpEntry>(
    html`<otp-entry lang=${options.lang ?? 'en'} .client=${client} .action=${action}></otp-entry>`,
  );
  return { el, client };
}

export const inputOf = (el: OtpEntry) => el.shadowRoot!.querySelector<HTMLInputElement>('[part="input"]')!;
export const verifyButtonOf = (el: OtpEntry) => el.shadowRoot!.querySelector<HTMLButtonElement>('[part="button"]')!;
export const resendButtonOf = (el: OtpEntry) => el.shadowRoot!.querySelector<HTMLButtonElement>('[part="resend"]');

/** Types into the inner input the way a browser does for one edit (sets the value, fires `input`). */
export function typeInto(el: OtpEntry, value: string): void {
  const input = inputOf(el);
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertText' }));
}

/** Pastes `text` into the inner input like a user would (a cancelable paste with clipboard data). */
export function pasteInto(el: OtpEntry, text: string): boolean {
  const data = new DataTransfer();
  data.setData('text/plain', text);
  const input = inputOf(el);
  input.focus();
  input.setSelectionRange(input.value.length, input.value.length);
  return input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true, composed: true }));
}

