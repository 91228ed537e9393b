/**
 * Tiny images built byte by byte for the tests, so no binary fixtures are checked in. Except for
 * lossyWebpHeader, each is a complete file a decoder accepts (see the checks in the tests).
 */
import { crc32, deflateSync } from 'node:zlib';

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
const u16le = (n: number) => [n & 0xff, (n >>> 8) & 0xff];
const u16be = (n: number) => [(n >>> 8) & 0xff, n & 0xff];
const u24le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff];
const u32le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const u32be = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

function pngChunk(type: string, data: Uint8Array | number[]): number[] {
  const typeAndData = Uint8Array.from([...ascii(type), ...data]);
  return [...u32be(data.length), ...typeAndData, ...u32be(crc32(typeAndData))];
}

/** An 8-bit grayscale PNG, all black; CRCs from node:zlib, independent of the code under test. */
export function png(width: number, height: number): Uint8Array {
  // Each row: filter type 0, then one byte per pixel.
  const raw = new Uint8Array((width + 1) * height);
  return Uint8Array.from([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
    ...pngChunk('IHDR', [...u32be(width), ...u32be(height), 8, 0, 0, 0, 0]),
    ...pngChunk('IDAT', deflateSync(raw)),
    ...pngChunk('IEND', []),
  ]);
}

/** A GIF89a whose logical screen is width×height, holding one 1×1 frame (a 2-colour palette). */
export function gif(width = 1, height = 1): Uint8Array {
  return Uint8Array.from([
    ...ascii('GIF89a'), ...u16le(width), ...u16le(height), 0x80, 0, 0, // screen, global palette of 2
    0, 0, 0, 0xff, 0xff, 0xff,
    0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, // image descriptor: 1×1 at 0,0
    // LZW, minimum code size 2: codes clear(4), 0, end(5) in 3 bits each, packed LSB first.
    2, 2, 0x44, 0x01, 0,
    0x3b,
  ]);
}

/** Writes bit fields least significant bit first, as VP8L reads them. */
function bitWriter() {
  const out: number[] = [];
  let bitCount = 0;
  return {
    write(value: number, bits: number) {
      for (let k = 0; k < bits; k++) {
        if (bitCount % 8 === 0) out.push(0);
        out[out.length - 1]! |= ((value >>> k) & 1) << (bitCount % 8);
        bitCount++;
      }
    },
    bytes: () => out,
  };
}

function riffWebp(chunks: number[][]): Uint8Array {
  const body = chunks.flat();
  return Uint8Array.from([...ascii('RIFF'), ...u32le(4 + body.length), ...ascii('WEBP'), ...body]);
}

function riffChunk(type: string, data: number[]): number[] {
  return [...ascii(type), ...u32le(data.length), ...data, ...(data.length % 2 ? [0] : [])];
}

/** The VP8L bitstream of an opaque black image: every prefix code has one symbol, so 0 bits a pixel. */
function vp8l(width: number, height: number): number[] {
  const w = bitWriter();
  w.write(width - 1, 14);
  w.write(height - 1, 14);
  w.write(0, 1); // alpha unused
  w.write(0, 3); // version 0
  w.write(0, 1); // no transform
  w.write(0, 1); // no colour cache
  w.write(0, 1); // no meta prefix codes
  // Five simple prefix codes (green, red, blue, alpha, distance), one symbol each.
  for (const symbol of [0, 0, 0, 255, 0]) {
    w.write(1, 1); // simple code
    w.write(0, 1); // one symbol
    w.write(1, 1); // 8-bit symbol
    w.write(symbol, 8);
  }
  return [0x2f, ...w.bytes()];
}

/** A lossless WebP (VP8L chunk). */
export function webpLossless(width = 1, height = 1): Uint8Array {
  return riffWebp([riffChunk('VP8L', vp8l(width, height))]);
}

/** An extended WebP: a VP8X canvas header in front of the lossless image. */
export function webpExtended(width = 1, height = 1): Uint8Array {
  const vp8x = [0, 0, 0, 0, ...u24le(width - 1), ...u24le(height - 1)];
  return riffWebp([riffChunk('VP8X', vp8x), riffChunk('VP8L', vp8l(width, height))]);
}

/** Only the header of a lossy WebP (frame tag, start code, size); the frame data is filler. */
export function lossyWebpHeader(width: number, height: number, frameTag = [0x10, 0x02, 0x00]): Uint8Array {
  return riffWebp([riffChunk('VP8 ', [...frameTag, 0x9d, 0x01, 0x2a, ...u16le(width), ...u16le(height), 0, 0, 0, 0])]);
}

function segment(marker: number, data: number[]): number[] {
  return [0xff, marker, ...u16be(data.length + 2), ...data];
}

/**
 * A baseline grayscale JPEG, all mid-grey: DC and AC tables each hold a single 1-bit code, so
 * every 8×8 block is "DC difference 0, end of block" (two 0 bits). sof picks the frame marker;
 * dhtFirst puts the Huffman tables (marker C4, inside the SOF range) before the frame header.
 */
export function jpeg(width = 1, height = 1, opts: { sof?: number; dhtFirst?: boolean } = {}): Uint8Array {
  const oneCodeTable = (tableClass: number) => segment(0xc4, [tableClass << 4, 1, ...new Array<number>(15).fill(0), 0]);
  const tables = [...oneCodeTable(0), ...oneCodeTable(1)];
  const sof = segment(opts.sof ?? 0xc0, [8, ...u16be(height), ...u16be(width), 1, 1, 0x11, 0]);
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const scan = new Array<number>(Math.ceil((blocks * 2) / 8)).fill(0);
  const usedBits = (blocks * 2) % 8;
  if (usedBits) scan[scan.length - 1] = 0xff >>> usedBits; // pad the last byte with 1 bits
  return Uint8Array.from([
    0xff, 0xd8,
    ...segment(0xe0, [...ascii('JFIF'), 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...segment(0xdb, [0, ...new Array<number>(64).fill(1)]),
    ...(opts.dhtFirst ? [...tables, ...sof] : [...sof, ...tables]),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    ...scan,
    0xff, 0xd9,
  ]);
}

/** Where the frame header's width field ends: every shorter prefix lacks the dimensions. */
export function jpegHeaderEnd(bytes: Uint8Array): number {
  for (let i = 2; i + 1 < bytes.length; i++) {
    const m = bytes[i + 1]!;
    if (bytes[i] === 0xff && m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) return i + 9;
  }
  throw new Error('no SOF marker');
}
