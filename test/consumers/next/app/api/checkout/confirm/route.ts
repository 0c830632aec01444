// app/api/checkout/confirm/route.ts: the page says the flow finished; the relay says how.
import { getRelay } from '../../../../lib/relay';
import { orderOf } from '../../../../lib/order';
import { refusal } from '../../../../lib/refusal';

export async function POST(request: Request): Promise<Response> {
  const relay = getRelay();
  try {
    relay.assertMayChangeState(request);
    const cookies = request.headers.get('cookie');
    const handle = relay.handleFromCookie(cookies);
    const inquiryId = orderOf(cookies);
    if (!handle || !inquiryId) return Response.json({ error: { code: 'session_missing', message: 'No verification in progress.' } }, { status: 401 });
    // Once, and for this order only: another order's handle, or this one's a second time, is refused.
    const { decision } = await relay.confirm(handle, { inquiryId });
    return Response.json({ decision });
  } catch (error) {
    return refusal(error);
  }
}
