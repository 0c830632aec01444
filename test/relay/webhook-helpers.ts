/** Signing webhooks the way Kount does, for the relay's receiver tests. */
import { constants, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { RelayPath } from '../../src/contract/browser.js';
import type { Relay } from '../../src/relay/index.js';
import { RELAY_ORIGIN } from './helpers.js';

export interface WebhookKeys {
  privateKey: KeyObject;
  publicKeyPem: string;
  /** Base64 DER SubjectPublicKeyInfo, as Kount's portal shows the key. */
  publicKeyDerBase64: string;
}

let cached: WebhookKeys | undefined;

/** One 2048-bit pair per test file (Kount's are 4096; the scheme is the same). */
export function webhookKeys(): WebhookKeys {
  if (cached === undefined) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    cached = {
      privateKey,
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      publicKeyDerBase64: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    };
  }
  return cached;
}

/** `2030-01-01T12:00:00Z`: Kount's format, to the second. */
export function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Kount's signature: RSASSA-PSS with SHA-256 and a 32-byte salt; `saltLength` is there to sign otherwise. */
export function signWebhook(timestamp: string, body: string | Uint8Array, privateKey: KeyObject = webhookKeys().privateKey, saltLength = 32): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  return sign('sha256', Buffer.concat([Buffer.from(timestamp, 'utf8'), bytes]), {
    key: privateKey,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength,
  }).toString('base64');
}

export interface WebhookDelivery {
  body: string | Uint8Array;
  timestamp: string;
  signature: string;
  headers?: Record<string, string>;
}

export function webhookRequest(delivery: WebhookDelivery): Request {
  const body = typeof delivery.body === 'string' ? delivery.body : new Uint8Array(delivery.body);
  return new Request(`${RELAY_ORIGIN}/verify${RelayPath.webhook}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-event-timestamp': delivery.timestamp,
      'x-event-signature': delivery.signature,
      'user-agent': 'kount-webhooks',
      ...delivery.headers,
    },
    body,
  });
}

/** Signs `payload` at `nowMs` and posts it to the relay. */
export async function deliverWebhook(relay: Relay, payload: unknown, nowMs: number) {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const timestamp = isoSeconds(nowMs);
  const response = await relay.fetch(webhookRequest({ body, timestamp, signature: signWebhook(timestamp, body) }));
  return { status: response.status, body: (await response.json()) as unknown, response };
}
