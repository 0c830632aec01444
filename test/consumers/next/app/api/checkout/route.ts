// app/api/checkout/route.ts: the shop's checkout. The request is a fetch Request already, so the
// relay's CSRF and Origin check takes it as it is.
import { getRelay } from '../../../lib/relay';
import { orderCookie } from '../../../lib/order';
import { refusal } from '../../../lib/refusal';
import { checkout } from '../../../shop';

export async function POST(request: Request): Promise<Response> {
  const relay = getRelay();
  try {
    relay.assertMayChangeState(request);
    const shopper = (await request.json()) as { email: string; phone?: string };
    // `next start` fills X-Forwarded-For from the connection when the client sent none; behind a
    // proxy, take the address your proxy adds instead.
    const clientIp = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
    const result = await checkout(relay, shopper, clientIp);
    const headers = new Headers();
    if (result.setCookie) {
      headers.append('set-cookie', result.setCookie);
      headers.append('set-cookie', orderCookie(result.inquiryId));
    }
    return Response.json({ outcome: result.outcome }, { headers });
  } catch (error) {
    return refusal(error);
  }
}
