import { ShareKitInputError } from './errors';

/**
 * A minimal PNG writer (8 bits per sample, no interlace) built only on what Node and workerd
 * both provide: Uint8Array, DataView and CompressionStream('deflate'), whose output is the zlib
 * stream (RFC 1950) that PNG's IDAT chunk expects. No Buffer, no zlib module, no canvas.
 *
 * Every scanline uses filter type 0 (None). Adaptive filters pay off on photographs; the images
 * made here are flat-colour QR codes and cards, which deflate shrinks well as they are.
 */

export type PngChannels = 1 | 3 | 4;

export interface PngImage {
  width: number;
  height: number;
  /** 1 = grey, 3 = RGB, 4 = RGBA. */
  channels: PngChannels;
  /** Row-major samples, `width * height * channels` bytes, top row first. */
  pixels: Uint8Array;
}

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const COLOUR_TYPE: Record<PngChannels, number> = { 1: 0, 3: 2, 4: 6 };
/** PNG allows 2^31-1; far smaller is enough for anything we draw and bounds memory use. */
const MAX_SIDE = 16_384;

let crcTable: Uint32Array | undefined;

function crcTableOnce(): Uint32Array {
  if (crcTable) return crcTable;
  crcTable = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crcTable[n] = c >>> 0;
  }
  return crcTable;
}

/** CRC-32 as PNG and zlib define it (ISO 3309, reflected, polynomial 0xEDB88320). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const table = crcTableOnce();
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = table[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

function header(width: number, height: number, channels: PngChannels): Uint8Array {
  const data = new Uint8Array(13);
  const view = new DataView(data.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  data[8] = 8; // bits per sample
  data[9] = COLOUR_TYPE[channels];
  // compression 0 (deflate), filter method 0, interlace 0: all already zero
  return data;
}

/** Prefixes each row with its filter-type byte (0). */
function scanlines({ width, height, channels, pixels }: PngImage): Uint8Array<ArrayBuffer> {
  const rowBytes = width * channels;
  const out = new Uint8Array((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) out.set(pixels.subarray(y * rowBytes, (y + 1) * rowBytes), y * (rowBytes + 1) + 1);
  return out;
}

export async function zlibDeflate(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const compressed = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(compressed).arrayBuffer());
}

function validate(image: PngImage): void {
  const { width, height, channels, pixels } = image;
  const side = (v: number) => Number.isInteger(v) && v >= 1 && v <= MAX_SIDE;
  if (!side(width) || !side(height)) {
    throw new ShareKitInputError('PNG_INPUT_INVALID', `PNG width and height must be integers from 1 to ${MAX_SIDE}, got ${width}×${height}`);
  }
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new ShareKitInputError('PNG_INPUT_INVALID', `PNG channels must be 1, 3 or 4, got ${String(channels)}`);
  }
  if (!(pixels instanceof Uint8Array) || pixels.length !== width * height * channels) {
    throw new ShareKitInputError('PNG_INPUT_INVALID', `PNG pixels must be ${width * height * channels} bytes (${width}×${height}×${channels}), got ${pixels?.length}`);
  }
}

export async function encodePng(image: PngImage): Promise<Uint8Array> {
  validate(image);
  const parts = [
    SIGNATURE,
    chunk('IHDR', header(image.width, image.height, image.channels)),
    chunk('IDAT', await zlibDeflate(scanlines(image))),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
