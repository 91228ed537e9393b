/// <reference path="./qrcode-core.d.ts" />
// The encoder core only: the package root's Node entry loads fs and pngjs, and its browser entry
// brings a canvas renderer we do not use. The core runs unchanged in Node, workerd and browsers.
import { create } from 'qrcode/lib/core/qrcode.js';
import { ShareKitInputError } from './errors';
import { encodePng } from './png';
import { escapeXml } from './xml-text';

export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

/** Modules are row-major, `size * size` entries, 1 = dark. The quiet zone is not included. */
export interface QrMatrix {
  size: number;
  modules: Uint8Array;
}

export interface QrMatrixOptions {
  /** Default M (15 %): enough for a printed or screenshotted poster, keeps codes less dense. */
  errorCorrection?: QrErrorCorrection;
}

/**
 * A share link is a short URL; 1 KiB of UTF-8 still encodes at level H (the limit there is
 * ~1.2 KiB) but already gives a code too dense to scan from a phone screen at poster size.
 */
export const MAX_QR_TEXT_BYTES = 1024;
/** The quiet zone the QR specification asks for, in modules. */
export const DEFAULT_QR_MARGIN = 4;

export function qrMatrix(text: string, options: QrMatrixOptions = {}): QrMatrix {
  if (typeof text !== 'string' || text.length === 0) {
    throw new ShareKitInputError('QR_TEXT_EMPTY', 'QR code text must not be empty');
  }
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_QR_TEXT_BYTES) {
    throw new ShareKitInputError('QR_TEXT_TOO_LONG', `QR code text is ${bytes} bytes of UTF-8; at most ${MAX_QR_TEXT_BYTES} fit a scannable code`);
  }
  const level = options.errorCorrection ?? 'M';
  if (!['L', 'M', 'Q', 'H'].includes(level)) {
    throw new ShareKitInputError('QR_OPTIONS_INVALID', `QR error correction must be L, M, Q or H, got ${String(level)}`);
  }
  const code = create(text, { errorCorrectionLevel: level });
  const { size, data } = code.modules;
  const modules = new Uint8Array(size * size);
  for (let i = 0; i < modules.length; i++) modules[i] = data[i] ? 1 : 0;
  return { size, modules };
}

/**
 * Path data covering every dark module: one closed rectangle per horizontal run, moved to with
 * relative `m` (after `z` the pen is back at the run's start), offset by the quiet zone.
 */
export function qrPathData(matrix: QrMatrix, margin: number): string {
  const { size, modules } = matrix;
  let d = '';
  let penX = 0;
  let penY = 0;
  for (let y = 0; y < size; y++) {
    let x = 0;
    while (x < size) {
      if (!modules[y * size + x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < size && modules[y * size + x]) x++;
      const len = x - start;
      const ax = start + margin;
      const ay = y + margin;
      d += d === '' ? `M${ax} ${ay}` : `m${ax - penX} ${ay - penY}`;
      d += `h${len}v1h-${len}z`;
      penX = ax;
      penY = ay;
    }
  }
  return d;
}

export interface QrDrawOptions {
  /** Quiet zone in modules, default 4. */
  margin?: number;
  /** Any SVG paint, default black. */
  dark?: string;
  /** Background paint, default white; `null` leaves it transparent. */
  light?: string | null;
}

function checkMargin(margin: number): number {
  if (!Number.isInteger(margin) || margin < 0 || margin > 64) {
    throw new ShareKitInputError('QR_OPTIONS_INVALID', `QR margin must be an integer from 0 to 64 modules, got ${margin}`);
  }
  return margin;
}

/** The inner markup (background and modules) in a coordinate system of one unit per module. */
function qrBody(matrix: QrMatrix, { margin = DEFAULT_QR_MARGIN, dark = '#000000', light = '#ffffff' }: QrDrawOptions): { side: number; body: string } {
  const side = matrix.size + 2 * checkMargin(margin);
  const background = light === null ? '' : `<rect width="${side}" height="${side}" fill="${escapeXml(light)}"/>`;
  return { side, body: `${background}<path fill="${escapeXml(dark)}" d="${qrPathData(matrix, margin)}"/>` };
}

/** A nested `<svg>` placing the code at (x, y), `size` wide: for posters and cards. */
export function qrSvgElement(matrix: QrMatrix, place: { x: number; y: number; size: number }, options: QrDrawOptions = {}): string {
  const { side, body } = qrBody(matrix, options);
  return `<svg x="${place.x}" y="${place.y}" width="${place.size}" height="${place.size}" viewBox="0 0 ${side} ${side}" shape-rendering="crispEdges">${body}</svg>`;
}

export interface QrSvgOptions extends QrDrawOptions, QrMatrixOptions {
  /** Width and height attributes in px; without it the SVG scales to its container. */
  size?: number;
}

/** A standalone SVG document: one `<path>` for all dark modules, sharp at any scale. */
export function qrSvg(text: string, options: QrSvgOptions = {}): string {
  const { size } = options;
  if (size !== undefined && !(Number.isFinite(size) && size > 0)) {
    throw new ShareKitInputError('QR_OPTIONS_INVALID', `QR size must be a positive number of pixels, got ${size}`);
  }
  const matrix = qrMatrix(text, options);
  const { side, body } = qrBody(matrix, options);
  const dimensions = size === undefined ? '' : ` width="${size}" height="${size}"`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}"${dimensions} shape-rendering="crispEdges">${body}</svg>`;
}

export interface QrPngOptions extends QrMatrixOptions {
  /** Pixels per module, default 8. */
  scale?: number;
  /** Quiet zone in modules, default 4. */
  margin?: number;
}

/** An 8-bit greyscale PNG: black modules on white, `(size + 2·margin) · scale` pixels square. */
export async function qrPng(text: string, options: QrPngOptions = {}): Promise<Uint8Array> {
  const { scale = 8, margin = DEFAULT_QR_MARGIN } = options;
  if (!Number.isInteger(scale) || scale < 1 || scale > 64) {
    throw new ShareKitInputError('QR_OPTIONS_INVALID', `QR scale must be an integer from 1 to 64 pixels per module, got ${scale}`);
  }
  const matrix = qrMatrix(text, options);
  const side = (matrix.size + 2 * checkMargin(margin)) * scale;
  const pixels = new Uint8Array(side * side).fill(255);
  const row = new Uint8Array(side);
  for (let my = 0; my < matrix.size; my++) {
    row.fill(255);
    for (let mx = 0; mx < matrix.size; mx++) {
      if (matrix.modules[my * matrix.size + mx]) row.fill(0, (mx + margin) * scale, (mx + margin + 1) * scale);
    }
    const top = (my + margin) * scale;
    for (let dy = 0; dy < scale; dy++) pixels.set(row, (top + dy) * side);
  }
  return encodePng({ width: side, height: side, channels: 1, pixels });
}
