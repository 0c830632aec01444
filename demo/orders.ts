/**
 * Which inquiry the shopper's open order (or sign-in) is: what a shop keeps in its own session or
 * order table. The demo has neither, so it keeps the inquiry id in a cookie of its own, set with
 * the relay's. Its confirm route hands that id to `relay.confirm`, which refuses a handle of another
 * inquiry and confirms each decision once.
 */
const ORDER_COOKIE = 'k360_demo_order';
const INQUIRY_ID = /^[A-Za-z0-9-]{1,64}$/;

/** A browser-session cookie: the relay's handle, not this, decides how long the verification lives. */
export function orderCookie(inquiryId: string): string {
  return `${ORDER_COOKIE}=${inquiryId}; Path=/; HttpOnly; SameSite=Strict`;
}

export function orderOf(cookieHeader: string | null): string | null {
  for (const pair of (cookieHeader ?? '').split(';')) {
    const [name, value] = pair.trim().split('=');
    if (name === ORDER_COOKIE && value !== undefined && INQUIRY_ID.test(value)) return value;
  }
  return null;
}
