/**
 * UUIDv7 (RFC 9562) for redemptions and goods: the first 48 bits are the milliseconds, the rest
 * random, so ids sort by creation and cannot be guessed. Web Crypto exists in Node 20 and workerd.
 */
export function newId(nowMs: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let ms = BigInt(Math.max(0, Math.floor(nowMs)));
  for (let i = 5; i >= 0; i--, ms >>= 8n) bytes[i] = Number(ms & 0xffn);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}
