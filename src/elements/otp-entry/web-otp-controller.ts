/**
 * WebOTP (https://wicg.github.io/web-otp/): on browsers that support it (Chrome on Android), the
 * browser offers the code from an incoming SMS bound to this origin (`@shop.example #123456`).
 *
 * At most one request is pending. It is aborted when the code is submitted by any means and when
 * the host leaves the page (SECURITY item 29): a request left pending would keep the SMS listener
 * of a page the shopper already finished with.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What `navigator.credentials.get({ otp })` resolves to; not in TypeScript's DOM library yet. */
interface OtpCredentialLike extends Credential {
  readonly code?: string;
}

interface OtpCredentialRequestOptions extends CredentialRequestOptions {
  otp: { transport: Array<'sms'> };
}

export class WebOtpController implements ReactiveController {
  readonly #onCode: (code: string) => void;
  #pending: AbortController | undefined;

  constructor(host: ReactiveControllerHost, onCode: (code: string) => void) {
    this.#onCode = onCode;
    host.addController(this);
  }

  /** Whether this browser implements WebOTP. */
  static get supported(): boolean {
    return typeof window !== 'undefined' && 'OTPCredential' in window && typeof navigator.credentials?.get === 'function';
  }

  /** Whether a request is pending. */
  get active(): boolean {
    return this.#pending !== undefined;
  }

  /** Asks the browser for the code of the next SMS, unless a request is already pending. */
  request(): void {
    if (this.#pending || !WebOtpController.supported) return;
    const controller = new AbortController();
    this.#pending = controller;
    const options: OtpCredentialRequestOptions = { otp: { transport: ['sms'] }, signal: controller.signal };
    let request: Promise<Credential | null>;
    try {
      request = navigator.credentials.get(options);
    } catch {
      this.#pending = undefined;
      return;
    }
    request.then(
      (credential) => {
        if (this.#pending === controller) this.#pending = undefined;
        const code = (credential as OtpCredentialLike | null)?.code;
        if (!controller.signal.aborted && typeof code === 'string' && code) this.#onCode(code);
      },
      () => {
        // Aborted, dismissed by the shopper, or no SMS in time: typing the code still works.
        if (this.#pending === controller) this.#pending = undefined;
      },
    );
  }

  abort(): void {
    this.#pending?.abort();
    this.#pending = undefined;
  }

  hostDisconnected(): void {
    this.abort();
  }
}
