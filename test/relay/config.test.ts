import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { relayOptionsFromEnv } from '../../src/relay/index.js';
import { createRelay } from '../../src/relay/index.js';
import { webhookKeys } from './webhook-helpers.js';

const minimal = {
  KOUNT_API_URL: 'https://api-sandbox.kount.com',
  KOUNT_TOKEN_URL: 'https://login-uat.equifax.com/as/token',
  KOUNT_API_KEY: 'the-api-key',
  KOUNT_CLIENT_ID: '1234567890',
  RELAY_SESSION_SECRET: 'x'.repeat(32),
};

function messageOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return 'no error';
}

describe('relayOptionsFromEnv', () => {
  it('applies the documented defaults', () => {
    const options = relayOptionsFromEnv(minimal);
    assert.equal(options.assessPath, '/business/identity-proofing/v1/assess');
    assert.equal(options.verifyPath, '/business/identity-proofing/v1/verify');
    assert.equal(options.timeoutMs, 10_000);
    assert.equal(options.basePath, '/verify');
    assert.equal(options.sessionTtlSeconds, 900);
    assert.equal(options.storeUrl, 'memory:');
    assert.deepEqual(options.allowedOrigins, []);
    assert.equal(options.otpLockoutSeconds, 300);
    assert.equal(options.heartbeatSeconds, 15);
    assert.equal(options.webhookPublicKey, undefined);
  });

  it('takes the webhook key as PEM, as PEM with literal \\n (one-line env files), or as Base64 DER', () => {
    const { publicKeyPem, publicKeyDerBase64 } = webhookKeys();
    for (const key of [publicKeyPem, publicKeyPem.trim().replaceAll('\n', '\\n'), publicKeyDerBase64]) {
      const keys = relayOptionsFromEnv({ ...minimal, KOUNT_WEBHOOK_PUBLIC_KEY: key }).webhookPublicKey;
      assert.equal(Array.isArray(keys) ? keys.length : 0, 1);
    }
  });

  it('reads every variable', () => {
    const options = relayOptionsFromEnv({
      ...minimal,
      KOUNT_ASSESS_PATH: '/assess',
      KOUNT_VERIFY_PATH: '/verify-it',
      KOUNT_TIMEOUT_MS: '2500',
      RELAY_ALLOWED_ORIGINS: 'https://a.example, https://b.example:8443',
      RELAY_BASE_PATH: '/kount',
      RELAY_SESSION_TTL_SECONDS: '600',
      KOUNT_WEBHOOK_PUBLIC_KEY: webhookKeys().publicKeyPem,
      RELAY_STORE_URL: 'memory:',
      RELAY_OTP_LOCKOUT_SECONDS: '60',
      RELAY_SSE_HEARTBEAT_SECONDS: '5',
    });
    assert.equal(options.assessPath, '/assess');
    assert.equal(options.verifyPath, '/verify-it');
    assert.equal(options.timeoutMs, 2500);
    assert.deepEqual(options.allowedOrigins, ['https://a.example', 'https://b.example:8443']);
    assert.equal(options.basePath, '/kount');
    assert.equal(options.sessionTtlSeconds, 600);
    assert.deepEqual(options.webhookPublicKey, [webhookKeys().publicKeyPem.trim()]);
    assert.equal(options.otpLockoutSeconds, 60);
    assert.equal(options.heartbeatSeconds, 5);
  });

  it('lets the environment win over defaults, and defaults fill the gaps', () => {
    const options = relayOptionsFromEnv({ ...minimal, RELAY_BASE_PATH: '/from-env' }, { basePath: '/from-defaults', sessionTtlSeconds: 120 });
    assert.equal(options.basePath, '/from-env');
    assert.equal(options.sessionTtlSeconds, 120);
  });

  it('names each missing variable', () => {
    const message = messageOf(() => relayOptionsFromEnv({}));
    for (const variable of ['KOUNT_API_URL', 'KOUNT_TOKEN_URL', 'KOUNT_API_KEY', 'KOUNT_CLIENT_ID', 'RELAY_SESSION_SECRET']) {
      assert.match(message, new RegExp(`${variable} is required`));
    }
  });

  it('names the variable and the problem, never the value', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ RELAY_SESSION_SECRET: 'short-secret-value' }, /RELAY_SESSION_SECRET must be at least 32 characters/],
      [{ KOUNT_TIMEOUT_MS: 'soon' }, /KOUNT_TIMEOUT_MS must be a whole number/],
      [{ KOUNT_API_URL: 'http://api.kount.com' }, /KOUNT_API_URL must be an https URL/],
      [{ RELAY_ALLOWED_ORIGINS: '*' }, /RELAY_ALLOWED_ORIGINS\[0\] must be an origin/],
      [{ RELAY_ALLOWED_ORIGINS: 'https://shop.example/' }, /RELAY_ALLOWED_ORIGINS\[0\] must be an origin/],
      [{ RELAY_STORE_URL: 'redis://user:hunter2@cache:6379/db?x=1' }, /RELAY_STORE_URL must be memory:, or redis:\/\/\[user:password@\]host:port\[\/db\]/],
      [{ RELAY_STORE_URL: 'mysql://user:hunter2@cache:3306' }, /RELAY_STORE_URL must be memory:, or redis:/],
      [{ RELAY_STORE_PREFIX: 'has spaces in it' }, /RELAY_STORE_PREFIX must be up to 64 letters/],
      [{ RELAY_STORE_TIMEOUT_MS: '5' }, /RELAY_STORE_TIMEOUT_MS must be at least 10/],
      [{ RELAY_MAX_FAILED_OTP_ATTEMPTS: '0' }, /RELAY_MAX_FAILED_OTP_ATTEMPTS must be at least 1/],
      [{ RELAY_MAX_RESENDS: 'many' }, /RELAY_MAX_RESENDS must be a whole number/],
      [{ RELAY_RESEND_INTERVAL_SECONDS: '7200' }, /RELAY_RESEND_INTERVAL_SECONDS must be at most 3600/],
      [{ RELAY_BASE_PATH: 'no-slash' }, /RELAY_BASE_PATH must be a path/],
      [{ KOUNT_WEBHOOK_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nnot-a-key\n-----END PUBLIC KEY-----' }, /KOUNT_WEBHOOK_PUBLIC_KEY must be an RSA public key/],
      [{ KOUNT_WEBHOOK_PUBLIC_KEY: 'bm90IGEga2V5IGF0IGFsbA==' }, /KOUNT_WEBHOOK_PUBLIC_KEY must be an RSA public key/],
      [{ RELAY_SSE_HEARTBEAT_SECONDS: '30' }, /RELAY_SSE_HEARTBEAT_SECONDS must be at most 15/],
      [{ RELAY_SSE_HEARTBEAT_SECONDS: '0' }, /RELAY_SSE_HEARTBEAT_SECONDS must be at least 1/],
    ];
    for (const [change, expected] of cases) {
      const message = messageOf(() => relayOptionsFromEnv({ ...minimal, ...change }));
      assert.match(message, expected);
      for (const value of Object.values(change)) if (value.length > 1) assert.ok(!message.includes(value), `echoed ${value}`);
    }
  });

  it('reads the relay limits from their variables, and the wrong-code limit from its former name too', () => {
    const limits = relayOptionsFromEnv({ ...minimal, RELAY_MAX_WRONG_CODES: '7', RELAY_MAX_RESENDS: '2', RELAY_RESEND_INTERVAL_SECONDS: '45' });
    assert.equal(limits.maxFailedOtpAttempts, 7);
    assert.equal(limits.maxResends, 2);
    assert.equal(limits.resendIntervalSeconds, 45);
    assert.equal(relayOptionsFromEnv({ ...minimal, RELAY_MAX_FAILED_OTP_ATTEMPTS: '8' }).maxFailedOtpAttempts, 8);
    assert.equal(relayOptionsFromEnv({ ...minimal, RELAY_MAX_WRONG_CODES: '8', RELAY_MAX_FAILED_OTP_ATTEMPTS: ' 8 ' }).maxFailedOtpAttempts, 8);
    assert.match(messageOf(() => relayOptionsFromEnv({ ...minimal, RELAY_MAX_WRONG_CODES: '0' })), /RELAY_MAX_WRONG_CODES must be at least 1/);
  });

  it('refuses the wrong-code limit under both names with different values, naming both', () => {
    const message = messageOf(() => relayOptionsFromEnv({ ...minimal, RELAY_MAX_WRONG_CODES: '3', RELAY_MAX_FAILED_OTP_ATTEMPTS: '9' }));
    assert.match(message, /RELAY_MAX_WRONG_CODES and RELAY_MAX_FAILED_OTP_ATTEMPTS \(its former name\) are both set, to different values/);
  });

  it('allows plain http only to this machine', () => {
    assert.equal(relayOptionsFromEnv({ ...minimal, KOUNT_API_URL: 'http://127.0.0.1:4010' }).apiUrl, 'http://127.0.0.1:4010');
    assert.equal(relayOptionsFromEnv({ ...minimal, KOUNT_TOKEN_URL: 'http://localhost:4010/token' }).tokenUrl, 'http://localhost:4010/token');
  });

  it('gives createRelay the same checks when options come from code', () => {
    assert.match(
      messageOf(() => createRelay({ apiUrl: 'https://k.example', tokenUrl: 'https://k.example/t', apiKey: 'k', clientId: 'c', sessionSecret: 'short' })),
      /sessionSecret must be at least 32 characters/,
    );
  });
});
