/**
 * Which inquiry the shopper's order is, for the confirm route: a shop keeps it in its own session
 * or order table; this one keeps it in a cookie of its own, set with the relay's.
 */
const ORDER_COOKIE = 'shop_order';
const INQUIRY_ID = /^[A-Za-z0-9-]{1,64}$/;

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
