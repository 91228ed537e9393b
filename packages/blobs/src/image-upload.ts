import { assertBlobKey } from './blob-store';

/**
 * Checks an uploaded image by its bytes alone. The client's declared type and file name are never
 * consulted: a file named photo.png can be SVG or HTML, which a browser would run as script when
 * served from our origin. Only four raster formats pass; everything else is unsupported.
 *
 * It reads the header that carries the dimensions, not the whole stream: an input cut off before
 * the dimensions is rejected, full decoding is left to whatever resizes the image.
 */
export type ImageContentType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif';
export type ImageErrorCode = 'IMAGE_TOO_LARGE' | 'IMAGE_TYPE_UNSUPPORTED' | 'IMAGE_EMPTY';

export type InspectImageResult =
  | { ok: true; contentType: ImageContentType; extension: string; width?: number; height?: number }
  | { ok: false; code: ImageErrorCode };

type ImageInfo = { contentType: ImageContentType; extension: string; width: number; height: number };

export const DEFAULT_MAX_IMAGE_BYTES = 5 * 1024 * 1024;

export function inspectImage(bytes: Uint8Array, opts: { maxBytes?: number } = {}): InspectImageResult {
  if (bytes.length === 0) return { ok: false, code: 'IMAGE_EMPTY' };
  if (bytes.length > (opts.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES)) return { ok: false, code: 'IMAGE_TOO_LARGE' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The signatures are disjoint, so at most one reader recognises the bytes.
  const info = readPng(bytes, view) ?? readGif(bytes, view) ?? readWebp(bytes, view) ?? readJpeg(bytes, view);
  return info ? { ok: true, ...info } : { ok: false, code: 'IMAGE_TYPE_UNSUPPORTED' };
}

// Each reader checks the length before reading, so no input can make DataView throw.

function readPng(b: Uint8Array, v: DataView): ImageInfo | null {
  if (!matches(b, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return null;
  // IHDR must come first: length 13, type, width, height, 5 more bytes, CRC over type and data.
  if (b.length < 33 || v.getUint32(8) !== 13 || !matches(b, 12, 'IHDR')) return null;
  if (crc32(b.subarray(12, 29)) !== v.getUint32(29)) return null;
  return sized('image/png', 'png', v.getUint32(16), v.getUint32(20));
}

function readGif(b: Uint8Array, v: DataView): ImageInfo | null {
  if (!matches(b, 0, 'GIF87a') && !matches(b, 0, 'GIF89a')) return null;
  // The logical screen descriptor (7 bytes after the 6-byte signature) holds the canvas size.
  if (b.length < 13) return null;
  return sized('image/gif', 'gif', v.getUint16(6, true), v.getUint16(8, true));
}

function readWebp(b: Uint8Array, v: DataView): ImageInfo | null {
  if (b.length < 16 || !matches(b, 0, 'RIFF') || !matches(b, 8, 'WEBP')) return null;
  // The first chunk's header is at 12, its data at 20; which chunk it is decides the layout.
  if (matches(b, 12, 'VP8 ')) {
    // Lossy: a 3-byte frame tag (bit 0 clear on a key frame), start code 9d 01 2a, then 14-bit
    // width and height (the top two bits of each are a scaling hint).
    if (b.length < 30 || (v.getUint8(20) & 1) !== 0 || !matches(b, 23, [0x9d, 0x01, 0x2a])) return null;
    return sized('image/webp', 'webp', v.getUint16(26, true) & 0x3fff, v.getUint16(28, true) & 0x3fff);
  }
  if (matches(b, 12, 'VP8L')) {
    // Lossless: signature 0x2f, then width-1 and height-1 in 14 bits each, an alpha bit and a
    // 3-bit version that must be 0, packed little-endian.
    if (b.length < 25 || v.getUint8(20) !== 0x2f) return null;
    const bits = v.getUint32(21, true);
    if (bits >>> 29 !== 0) return null;
    return sized('image/webp', 'webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (matches(b, 12, 'VP8X')) {
    // Extended: flags and 3 reserved bytes, then canvas width-1 and height-1 as 24-bit numbers.
    if (b.length < 30) return null;
    const uint24 = (at: number) => v.getUint16(at, true) | (v.getUint8(at + 2) << 16);
    return sized('image/webp', 'webp', uint24(24) + 1, uint24(27) + 1);
  }
  return null;
}

function readJpeg(b: Uint8Array, v: DataView): ImageInfo | null {
  if (!matches(b, 0, [0xff, 0xd8, 0xff])) return null;
  // Walk the marker segments after SOI until a start-of-frame, which carries the size.
  let i = 2;
  for (;;) {
    if (i >= b.length || v.getUint8(i) !== 0xff) return null;
    while (i < b.length && v.getUint8(i) === 0xff) i++; // a marker may be preceded by fill bytes
    if (i >= b.length) return null;
    const marker = v.getUint8(i++);
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue; // RSTn, TEM: no length
    // Scan data (SOS) or the end (EOI) before any frame header: not an image we can read.
    if (marker === 0xda || marker === 0xd9 || i + 2 > b.length) return null;
    const length = v.getUint16(i);
    if (length < 2) return null;
    // SOF0–SOF15, except C4 (DHT), C8 (reserved) and CC (DAC), which share the range.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      // length, precision, height, width
      if (length < 7 || i + 7 > b.length) return null;
      return sized('image/jpeg', 'jpg', v.getUint16(i + 5), v.getUint16(i + 3));
    }
    i += length;
  }
}

function sized(contentType: ImageContentType, extension: string, width: number, height: number): ImageInfo | null {
  // A zero-sized image is malformed for every format here, and useless as a product photo.
  return width > 0 && height > 0 ? { contentType, extension, width, height } : null;
}

function matches(b: Uint8Array, at: number, expected: string | number[]): boolean {
  const codes = typeof expected === 'string' ? Array.from(expected, (c) => c.charCodeAt(0)) : expected;
  return at + codes.length <= b.length && codes.every((code, k) => b[at + k] === code);
}

/** CRC-32 as PNG uses it (polynomial 0xedb88320); bitwise, since it only covers the 17-byte IHDR. */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** SHA-256 as lowercase hex, through WebCrypto so it runs the same in Node and workerd. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  // A copy: digest() takes only ArrayBuffer-backed views (not SharedArrayBuffer ones).
  const digest = await crypto.subtle.digest('SHA-256', new Uint8Array(bytes));
  return Array.from(new Uint8Array(digest), (x) => x.toString(16).padStart(2, '0')).join('');
}

// The same rule as @tuike/db-runtime's database names, repeated so this package stays leaf-level.
const SHOP_DB_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const IMAGE_EXTENSIONS = new Set(['jpg', 'png', 'webp', 'gif']);

/** Where a shop's images live; product records may only point below it. */
export function shopImagePrefix(shopDbName: string): string {
  if (!SHOP_DB_NAME.test(shopDbName)) throw new TypeError(`invalid shop database name: ${JSON.stringify(shopDbName)}`);
  return `shops/${shopDbName}/images/`;
}

/**
 * The key of an image, named by its content hash: the same upload twice is stored once, and an
 * object never changes under its key, so it can be cached forever.
 */
export function imageKey(shopDbName: string, sha256: string, extension: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new TypeError(`invalid sha256 hex: ${JSON.stringify(sha256)}`);
  if (!IMAGE_EXTENSIONS.has(extension)) throw new TypeError(`invalid image extension: ${JSON.stringify(extension)}`);
  return assertBlobKey(`${shopImagePrefix(shopDbName)}${sha256}.${extension}`);
}
