/**
 * UUIDv7 (RFC 9562): 48 bits of milliseconds, then random bits — sortable by creation time and
 * unguessable. Uses Web Crypto, present in Node 20 and workerd alike.
 */
export function newId(nowMs: number): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  let ms = Math.max(0, Math.floor(nowMs));
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
