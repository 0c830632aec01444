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
    // A route handler sees no socket. `next start` fills X-Forwarded-For from the connection only when
    // the client sent none, so run it behind a proxy that overwrites the header (nginx:
    // `proxy_set_header X-Forwarded-For $remote_addr`) and read the entry that proxy wrote: the last.
    const clientIp = request.headers.get('x-forwarded-for')?.split(',').at(-1)?.trim();
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
