/**
 * A request's or a response's body, read only up to a limit: a declared `Content-Length` over it is
 * refused before reading, and the bytes actually received are counted, so a missing or lying length
 * does not get past the cap either. The stream is cancelled as soon as the limit is passed.
 */
/** True when the message's `Content-Length` (a whole number) says it is over `limitBytes`. */
export function declaresMoreThan(headers: Headers, limitBytes: number): boolean {
  const declared = headers.get('content-length');
  return declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > limitBytes;
}

export async function readCappedBody(message: Request | Response, limitBytes: number, tooLarge: () => Error): Promise<Uint8Array> {
  if (declaresMoreThan(message.headers, limitBytes)) {
    await message.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!message.body) return new Uint8Array(0);
  const reader = message.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
