import { describe, expect, it } from 'vitest';
import { ShareKitInputError } from './errors';
import { crc32, encodePng, type PngChannels } from './png';
import { decodePng } from './testing/qr-reader';

/** Deterministic noise, so a failure reproduces. */
function noise(length: number, seed = 7): Uint8Array {
  const out = new Uint8Array(length);
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

/** What pngjs gives back (always RGBA) for our samples. */
function expectedRgba(channels: PngChannels, pixels: Uint8Array): Uint8Array {
  const count = pixels.length / channels;
  const out = new Uint8Array(count * 4);
  for (let i = 0; i < count; i++) {
    const p = pixels.subarray(i * channels, (i + 1) * channels);
    if (channels === 1) out.set([p[0]!, p[0]!, p[0]!, 255], i * 4);
    else if (channels === 3) out.set([p[0]!, p[1]!, p[2]!, 255], i * 4);
    else out.set(p, i * 4);
  }
  return out;
}

const text = (bytes: Uint8Array, at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
const u32 = (bytes: Uint8Array, at: number) => new DataView(bytes.buffer, bytes.byteOffset).getUint32(at);

describe('crc32', () => {
  it('matches the standard check value and the CRC every PNG ends with', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
  });
});

describe('encodePng', () => {
  it.each([
    [1, 5, 3],
    [3, 4, 4],
    [4, 3, 7],
  ] as const)('writes %i-channel pixels that a real decoder reads back exactly', async (channels, width, height) => {
    const pixels = noise(width * height * channels, channels);
    const png = await encodePng({ width, height, channels, pixels });
    const decoded = decodePng(png);
    expect([decoded.width, decoded.height]).toEqual([width, height]);
    expect(new Uint8Array(decoded.data)).toEqual(expectedRgba(channels, pixels));
  });

  it('keeps a larger image intact across many deflate blocks', async () => {
    const [width, height] = [257, 129];
    const pixels = noise(width * height * 3);
    const decoded = decodePng(await encodePng({ width, height, channels: 3, pixels }));
    expect(new Uint8Array(decoded.data)).toEqual(expectedRgba(3, pixels));
  });

  it('lays out signature, IHDR, IDAT and IEND with lengths and CRCs that check out', async () => {
    const png = await encodePng({ width: 300, height: 2, channels: 4, pixels: new Uint8Array(300 * 2 * 4).fill(9) });
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const chunks: string[] = [];
    for (let at = 8; at < png.length; ) {
      const length = u32(png, at);
      chunks.push(text(png, at + 4));
      expect(u32(png, at + 8 + length)).toBe(crc32(png, at + 4, at + 8 + length));
      at += 12 + length;
    }
    expect(chunks).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect([u32(png, 16), u32(png, 20), png[24], png[25], png[26], png[27], png[28]]).toEqual([300, 2, 8, 6, 0, 0, 0]);
  });

  it.each([
    ['pixels of the wrong length', { width: 2, height: 2, channels: 3, pixels: new Uint8Array(11) }],
    ['two channels', { width: 1, height: 1, channels: 2, pixels: new Uint8Array(2) }],
    ['a zero width', { width: 0, height: 1, channels: 1, pixels: new Uint8Array(0) }],
    ['a fractional height', { width: 1, height: 1.5, channels: 1, pixels: new Uint8Array(1) }],
  ])('refuses %s', async (_, image) => {
    await expect(encodePng(image as never)).rejects.toThrow(ShareKitInputError);
  });
});
