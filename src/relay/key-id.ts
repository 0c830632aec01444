/**
 * A secret's public name, carried by what it signs or seals so an instance can tell "signed with a
 * secret I do not hold" (a rotation not rolled out here, SECURITY 38) from "forged or corrupt", and
 * an operator can compare instances' log lines. 48 bits of an HKDF of the secret, base64url (8
 * characters): it tells secrets apart and reveals no more about one than any MAC it made does.
 */
import { hkdfSync } from 'node:crypto';

export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{8}$/;

export function keyIdOf(secret: string): string {
  return Buffer.from(hkdfSync('sha256', secret, 'k360-verify/key-id', 'v1', 6)).toString('base64url');
}
