// Route handlers get no body limit from Next.js (the 1 MB cap covers server actions only),
// so every handler that reads a body reads it through here: a declared Content-Length over
// the limit is refused before a byte is read, and the stream is cancelled as soon as the
// bytes received pass the limit, so memory stays bounded whatever the client sends.

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body exceeds the ${limit}-byte limit`);
    this.name = "BodyTooLargeError";
  }
}

/** Content-Length, when the client declared one that parses. */
function declaredLength(request: Request): number | undefined {
  const value = request.headers.get("content-length");
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

export async function readBodyLimited(request: Request, limit: number): Promise<Uint8Array> {
  if ((declaredLength(request) ?? 0) > limit) throw new BodyTooLargeError(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLargeError(limit);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
