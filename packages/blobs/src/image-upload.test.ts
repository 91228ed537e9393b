import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { assertBlobKey } from './blob-store';
import { DEFAULT_MAX_IMAGE_BYTES, imageKey, inspectImage, sha256Hex, shopImagePrefix } from './image-upload';
import { gif, jpeg, jpegHeaderEnd, lossyWebpHeader, png, webpExtended, webpLossless } from './test-images';

const text = (s: string) => new TextEncoder().encode(s);
const unsupported = { ok: false, code: 'IMAGE_TYPE_UNSUPPORTED' };

/** Rewrites bytes at an offset in a copy. */
function patched(bytes: Uint8Array, at: number, values: number[]): Uint8Array {
  const copy = bytes.slice();
  copy.set(values, at);
  return copy;
}

describe('inspectImage', () => {
  it.each([
    ['PNG', png(1, 1), 'image/png', 'png', 1, 1],
    ['PNG, wide', png(300, 7), 'image/png', 'png', 300, 7],
    ['PNG, 100000 px wide', png(100_000, 1), 'image/png', 'png', 100_000, 1],
    ['GIF', gif(), 'image/gif', 'gif', 1, 1],
    ['GIF, canvas larger than its frame', gif(3, 2), 'image/gif', 'gif', 3, 2],
    ['WebP lossless', webpLossless(), 'image/webp', 'webp', 1, 1],
    ['WebP lossless, largest size', webpLossless(16384, 3), 'image/webp', 'webp', 16384, 3],
    ['WebP extended', webpExtended(5, 9), 'image/webp', 'webp', 5, 9],
    // Canvas sizes are 24-bit: 0x01270f + 1 = 75536 wide (header only; the frame inside is 1×1).
    ['WebP extended header, canvas wider than 16 bits', patched(webpExtended(), 24, [0x0f, 0x27, 0x01]), 'image/webp', 'webp', 75536, 1],
    ['WebP lossy header', lossyWebpHeader(640, 480), 'image/webp', 'webp', 640, 480],
    // The top two bits of each lossy size are a scaling hint, not part of the size.
    ['WebP lossy header with scaling bits', lossyWebpHeader(0xc000 | 640, 0x4000 | 480), 'image/webp', 'webp', 640, 480],
    ['JPEG', jpeg(), 'image/jpeg', 'jpg', 1, 1],
    ['JPEG, 17×9', jpeg(17, 9), 'image/jpeg', 'jpg', 17, 9],
    ['JPEG, Huffman tables before the frame', jpeg(20, 3, { dhtFirst: true }), 'image/jpeg', 'jpg', 20, 3],
    ['JPEG, progressive frame header', jpeg(65535, 2, { sof: 0xc2 }), 'image/jpeg', 'jpg', 65535, 2],
  ])('reads %s', (_, bytes, contentType, extension, width, height) => {
    expect(inspectImage(bytes)).toEqual({ ok: true, contentType, extension, width, height });
  });

  it('reads an image that is a view into a larger buffer', () => {
    const image = png(7, 3);
    const backing = new Uint8Array(image.length + 13);
    backing.set(image, 5);
    expect(inspectImage(backing.subarray(5, 5 + image.length))).toMatchObject({ ok: true, width: 7, height: 3 });
  });

  it('skips fill bytes before a JPEG marker', () => {
    const image = jpeg(4, 6);
    const sof = jpegHeaderEnd(image) - 9;
    const filled = Uint8Array.from([...image.subarray(0, sof), 0xff, 0xff, ...image.subarray(sof)]);
    expect(inspectImage(filled)).toMatchObject({ ok: true, width: 4, height: 6 });
  });

  it.each([
    ['PNG', png(2, 3), 33],
    ['GIF', gif(2, 3), 13],
    ['WebP lossless', webpLossless(2, 3), 25],
    ['WebP extended', webpExtended(2, 3), 30],
    ['WebP lossy', lossyWebpHeader(2, 3), 30],
    ['JPEG', jpeg(2, 3), jpegHeaderEnd(jpeg(2, 3))],
  ])('rejects %s cut off anywhere before its size, and reads it from there on', (_, bytes, headerEnd) => {
    for (let n = 1; n < headerEnd; n++) expect(inspectImage(bytes.subarray(0, n)), `first ${n} bytes`).toEqual(unsupported);
    expect(inspectImage(bytes.subarray(0, headerEnd))).toMatchObject({ ok: true, width: 2, height: 3 });
  });

  it.each([
    ['a PNG whose IHDR CRC is wrong', patched(png(1, 1), 29, [0, 0, 0, 0])],
    ['a PNG whose size was changed without fixing the CRC', patched(png(1, 1), 16, [0, 0, 1, 0])],
    ['a PNG without IHDR first', patched(png(1, 1), 12, [...text('IDAT')])],
    ['a PNG of width 0', png(0, 1)],
    ['a GIF of size 0×0', gif(0, 0)],
    ['a GIF with an unknown version', patched(gif(), 3, [...text('88a')])],
    ['a WebP with an unknown first chunk', patched(webpLossless(), 12, [...text('ALPH')])],
    ['a lossless WebP with a wrong signature', patched(webpLossless(), 20, [0x2e])],
    ['a lossless WebP with version bits set', patched(webpLossless(), 24, [0x20])],
    ['a lossy WebP that is not a key frame', lossyWebpHeader(4, 4, [0x11, 0x02, 0x00])],
    ['a lossy WebP without the start code', patched(lossyWebpHeader(4, 4), 23, [0x9d, 0x01, 0x2b])],
    ['a lossy WebP of width 0', lossyWebpHeader(0xc000, 4)],
    ['a JPEG of height 0', jpeg(8, 0)],
    ['a JPEG with scan data before any frame header', Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, 0, 0xff, 0xd9])],
    ['a JPEG that ends before any frame header', Uint8Array.from([0xff, 0xd8, 0xff, 0xd9])],
    ['a JPEG with a segment length below 2', Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 1, 0xff, 0xc0, 0, 11, 8, 0, 1, 0, 1, 1, 1, 0x11, 0])],
    ['a JPEG with garbage where a marker belongs', Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 2, 0x12, 0xff, 0xc0, 0, 11, 8, 0, 1, 0, 1, 1, 1, 0x11, 0])],
  ])('rejects %s', (_, bytes) => {
    expect(inspectImage(bytes)).toEqual(unsupported);
  });

  it.each([
    ['SVG', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'],
    ['SVG with an XML declaration', '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'],
    ['SVG after a byte order mark and spaces', '\ufeff  \n<svg onload="alert(1)"/>'],
    ['HTML', '<!DOCTYPE html><html><body><script>alert(1)</script></body></html>'],
    ['HTML that mentions PNG', '<html>\x89PNG\r\n\x1a\n</html>'],
    ['plain text', 'image/png'],
    ['a BMP', 'BM\x3a\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0\x01\0\0\0\x01\0\0\0'],
    ['a PDF', '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'],
    ['a RIFF file that is not WebP', 'RIFF\x24\0\0\0WAVEfmt \x10\0\0\0\x01\0\x01\0'],
    ['an AVIF', '\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf'],
    ['a truncated PNG signature', '\x89PNG'],
  ])('rejects %s', (_, source) => {
    // Latin-1 bytes, so escapes like \x89 become that exact byte.
    const bytes = source.startsWith('\ufeff') ? text(source) : Uint8Array.from(source, (c) => c.charCodeAt(0));
    expect(inspectImage(bytes)).toEqual(unsupported);
  });

  it('rejects empty input', () => {
    expect(inspectImage(new Uint8Array(0))).toEqual({ ok: false, code: 'IMAGE_EMPTY' });
  });

  it('accepts up to 5 MiB by default and rejects one byte more', () => {
    const image = png(1, 1);
    const atLimit = new Uint8Array(DEFAULT_MAX_IMAGE_BYTES);
    atLimit.set(image);
    expect(DEFAULT_MAX_IMAGE_BYTES).toBe(5 * 1024 * 1024);
    expect(inspectImage(atLimit)).toMatchObject({ ok: true, contentType: 'image/png' });
    const over = new Uint8Array(DEFAULT_MAX_IMAGE_BYTES + 1);
    over.set(image);
    expect(inspectImage(over)).toEqual({ ok: false, code: 'IMAGE_TOO_LARGE' });
  });

  it('honours maxBytes, for any content', () => {
    const image = gif();
    expect(inspectImage(image, { maxBytes: image.length })).toMatchObject({ ok: true });
    expect(inspectImage(image, { maxBytes: image.length - 1 })).toEqual({ ok: false, code: 'IMAGE_TOO_LARGE' });
    expect(inspectImage(text('<svg/>'), { maxBytes: 3 })).toEqual({ ok: false, code: 'IMAGE_TOO_LARGE' });
  });

  it('never throws, on random bytes or on damaged images', () => {
    const seeds = [png(3, 2), gif(3, 2), webpLossless(3, 2), webpExtended(3, 2), lossyWebpHeader(3, 2), jpeg(3, 2)];
    const codes = new Set<string>();
    for (let round = 0; round < 3000; round++) {
      const seed = seeds[round % seeds.length]!;
      let bytes: Uint8Array;
      if (round % 3 === 0) {
        bytes = randomBytes(round % 64);
      } else {
        // Keep the signature, damage a few bytes after it and cut the end off at random.
        bytes = seed.slice(0, 4 + Math.floor(Math.random() * seed.length));
        for (let k = 0; k < 3; k++) bytes[4 + Math.floor(Math.random() * Math.max(1, bytes.length - 4))] = Math.floor(Math.random() * 256);
      }
      const result = inspectImage(bytes);
      codes.add(result.ok ? result.contentType : result.code);
    }
    expect([...codes].every((c) => /^(image\/(png|gif|webp|jpeg)|IMAGE_TYPE_UNSUPPORTED|IMAGE_EMPTY)$/.test(c))).toBe(true);
  });
});

describe('sha256Hex', () => {
  it('matches the standard test vectors', async () => {
    expect(await sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await sha256Hex(text('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes only the bytes of a view, as node:crypto does', async () => {
    const backing = randomBytes(4096);
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 100, 3000);
    expect(await sha256Hex(view)).toBe(createHash('sha256').update(view).digest('hex'));
  });
});

describe('imageKey', () => {
  const hash = 'ab'.repeat(32);

  it('names an image by its shop and content hash', () => {
    expect(imageKey('shop-0191', hash, 'png')).toBe(`shops/shop-0191/images/${hash}.png`);
    expect(imageKey('shop-0191', hash, 'png').startsWith(shopImagePrefix('shop-0191'))).toBe(true);
    expect(assertBlobKey(imageKey('shop-0191', hash, 'webp'))).toBeTruthy();
  });

  it('gives the same upload the same key, and a different one another key', async () => {
    const keyOf = async (bytes: Uint8Array) => {
      const info = inspectImage(bytes);
      if (!info.ok) throw new Error(info.code);
      return imageKey('shop-a', await sha256Hex(bytes), info.extension);
    };
    expect(await keyOf(png(2, 2))).toBe(await keyOf(png(2, 2)));
    expect(await keyOf(png(2, 2))).not.toBe(await keyOf(png(2, 3)));
    expect(await keyOf(jpeg())).toMatch(/^shops\/shop-a\/images\/[0-9a-f]{64}\.jpg$/);
  });

  it.each([
    ['../other', hash, 'png'],
    ['Shop', hash, 'png'],
    ['', hash, 'png'],
    ['shop/a', hash, 'png'],
    ['shop-a', 'AB'.repeat(32), 'png'],
    ['shop-a', 'ab'.repeat(31), 'png'],
    ['shop-a', `${'ab'.repeat(31)}/.`, 'png'],
    ['shop-a', hash, 'svg'],
    ['shop-a', hash, 'png/../x'],
    ['shop-a', hash, ''],
  ])('rejects (%j, %j, %j)', (db, sha, ext) => {
    expect(() => imageKey(db, sha, ext)).toThrow(TypeError);
  });
});
