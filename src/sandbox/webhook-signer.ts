import { constants, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

/**
 * Kount signs webhooks with RSASSA-PSS: SHA-256 digest, MGF1 with SHA-256, a 32-byte salt. The
 * signed bytes are the `X-Event-Timestamp` header string (UTF-8) immediately followed by the raw
 * body bytes, and the signature travels Base64 in `X-Event-Signature`.
 */
export const WEBHOOK_SIGNATURE = {
  algorithm: 'sha256',
  padding: constants.RSA_PKCS1_PSS_PADDING,
  saltLength: 32,
} as const;

/**
 * Kount makes an RSA-4096 pair per account. A simulator does not need that strength, and 2048-bit
 * keys are made ten times faster, which matters for test suites that start many sandboxes.
 */
export const SANDBOX_WEBHOOK_KEY_BITS = 2048;

/** `2026-11-22T03:18:00Z`: ISO-8601 UTC to the second, the format of Kount's samples. */
export function webhookTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function signedBytes(timestamp: string, body: string | Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(timestamp, 'utf8'), typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body)]);
}

/** The sandbox's key pair, made on first use so sandboxes that never sign a webhook cost nothing. */
export class WebhookSigner {
  #keys: { readonly privateKey: KeyObject; readonly publicKeyPem: string } | undefined;

  /** SubjectPublicKeyInfo, PEM (`-----BEGIN PUBLIC KEY-----`): what the relay is configured with. */
  get publicKeyPem(): string {
    return this.#keyPair().publicKeyPem;
  }

  /** Base64 signature of `timestamp + body`. */
  sign(timestamp: string, body: string): string {
    const { privateKey } = this.#keyPair();
    return sign(WEBHOOK_SIGNATURE.algorithm, signedBytes(timestamp, body), {
      key: privateKey,
      padding: WEBHOOK_SIGNATURE.padding,
      saltLength: WEBHOOK_SIGNATURE.saltLength,
    }).toString('base64');
  }

  #keyPair(): { readonly privateKey: KeyObject; readonly publicKeyPem: string } {
    if (this.#keys === undefined) {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: SANDBOX_WEBHOOK_KEY_BITS });
      this.#keys = { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
    }
    return this.#keys;
  }
}
