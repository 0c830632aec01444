/**
 * Device data in the demo shop: the pages run Kount's collector (through k360-verify's
 * `collectDeviceData`) and send the session id it was started with; the backend passes that id on
 * as `deviceSessionId`. A form without one (the collector file could not even load) gets a fresh
 * id, so Kount still gets a well-formed call, only without device data.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';

/** What `collectDeviceData` makes (32 hex characters); Kount takes up to 32 letters and digits. */
export const DeviceSessionId = z.optional(z.string().check(z.regex(/^[A-Za-z0-9]{1,32}$/)));

export function deviceSessionIdOf(fromPage: string | undefined): string {
  return fromPage ?? randomUUID().replaceAll('-', '');
}

/** The collector's settings for the pages: Kount's merchant id for device data and its environment. */
export function deviceDataSettings(env: NodeJS.ProcessEnv): { clientId: string; environment: 'TEST' | 'PROD' } {
  return {
    // Kount's collector sends this id from the browser: an identifier, never the API key.
    clientId: env.KOUNT_DDC_CLIENT_ID ?? '100100',
    environment: env.KOUNT_DDC_ENVIRONMENT === 'PROD' ? 'PROD' : 'TEST',
  };
}

export const COLLECTOR_ORIGINS = { TEST: 'https://tst.kaptcha.com', PROD: 'https://ssl.kaptcha.com' } as const;
