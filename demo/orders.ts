/**
 * Which inquiry the shopper's open order (or sign-in) is, and for which journey: what a shop keeps
 * in its own session or order table. The demo has neither, so it keeps both in a cookie of its own,
 * set with the relay's. Its confirm route hands the inquiry id to `relay.confirm` (which refuses a
 * handle of another inquiry and confirms each decision once), and only on the journey's own route:
 * a checkout's cookies confirm no sign-in.
 */
const ORDER_COOKIE = 'k360_demo_order';
const ORDER = /^([a-z-]{1,32}):([A-Za-z0-9-]{1,64})$/;

/** A browser-session cookie: the relay's handle, not this, decides how long the verification lives. */
export function orderCookie(journey: string, inquiryId: string): string {
  return `${ORDER_COOKIE}=${journey}:${inquiryId}; Path=/; HttpOnly; SameSite=Strict`;
}

/** The inquiry id of the open order, when it was started on `journey`; null otherwise. */
export function orderOf(cookieHeader: string | null, journey: string): string | null {
  for (const pair of (cookieHeader ?? '').split(';')) {
    const [name, value] = pair.trim().split('=');
    const order = name === ORDER_COOKIE && value !== undefined ? ORDER.exec(value) : null;
    if (order !== null && order[1] === journey) return order[2] ?? null;
  }
  return null;
}
