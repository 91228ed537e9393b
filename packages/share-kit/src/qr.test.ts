import { describe, expect, it } from 'vitest';
import { ShareKitInputError } from './errors';
import { MAX_QR_TEXT_BYTES, qrMatrix, qrPng, qrSvg } from './qr';
import { decodePng, gridFromPath, parseSvg, readQrFromPng, readQrFromSvgElement } from './testing/qr-reader';

const longUrl = `https://shop-a.tuike.test/p/01JCXD8ZQ3?d=0193a5f2-7c1e-7cc4&utm=${'x'.repeat(430)}`;
const chineseText = '推客小店｜新款羊毛围巾 https://tuike.test/s/店铺/p/42?d=张三';

function finderAt(m: { size: number; modules: Uint8Array }, top: number, left: number): boolean {
  for (let y = 0; y < 7; y++) {
    for (let x = 0; x < 7; x++) {
      const ring = y === 0 || y === 6 || x === 0 || x === 6;
      const core = y >= 2 && y <= 4 && x >= 2 && x <= 4;
      if (m.modules[(top + y) * m.size + left + x] !== (ring || core ? 1 : 0)) return false;
    }
  }
  return true;
}

describe('qrMatrix', () => {
  it('returns a square of 0/1 modules with finder patterns in three corners only', () => {
    const m = qrMatrix('https://tuike.test/p/1');
    expect((m.size - 21) % 4).toBe(0);
    expect(m.modules.length).toBe(m.size * m.size);
    expect(m.modules.every((v) => v === 0 || v === 1)).toBe(true);
    expect([finderAt(m, 0, 0), finderAt(m, 0, m.size - 7), finderAt(m, m.size - 7, 0), finderAt(m, m.size - 7, m.size - 7)]).toEqual([true, true, true, false]);
  });

  it('grows the symbol for a higher error correction level', () => {
    const url = 'https://shop.tuike.test/p/01JCXD8ZQ3?d=0193a5f2-7c1e-7cc4-9a4b-1d2e3f405162';
    expect(qrMatrix(url, { errorCorrection: 'H' }).size).toBeGreaterThan(qrMatrix(url, { errorCorrection: 'L' }).size);
  });

  it('refuses empty text with a clear error', () => {
    expect(() => qrMatrix('')).toThrow(expect.objectContaining({ code: 'QR_TEXT_EMPTY', message: 'QR code text must not be empty' }));
  });

  it('refuses text longer than a scannable code holds', () => {
    expect(() => qrMatrix('码'.repeat(Math.ceil(MAX_QR_TEXT_BYTES / 3) + 1))).toThrow(expect.objectContaining({ code: 'QR_TEXT_TOO_LONG' }));
  });

  it('refuses an unknown error correction level instead of silently using another', () => {
    expect(() => qrMatrix('x', { errorCorrection: 'X' as never })).toThrow(ShareKitInputError);
  });
});

describe('qrSvg', () => {
  it('draws every dark module, and only those, as one crisp path inside the quiet zone', () => {
    const text = 'https://tuike.test/p/1?d=abc';
    const m = qrMatrix(text);
    const doc = parseSvg(qrSvg(text));
    const svg = doc.documentElement!;
    const side = m.size + 8;
    expect(svg.getAttribute('viewBox')).toBe(`0 0 ${side} ${side}`);
    expect(svg.getAttribute('shape-rendering')).toBe('crispEdges');
    expect(svg.hasAttribute('width')).toBe(false);
    const paths = svg.getElementsByTagName('path');
    expect(paths.length).toBe(1);
    const grid = gridFromPath(paths[0]!.getAttribute('d')!, side);
    const expected = new Uint8Array(side * side);
    for (let y = 0; y < m.size; y++) for (let x = 0; x < m.size; x++) expected[(y + 4) * side + x + 4] = m.modules[y * m.size + x]!;
    expect(grid).toEqual(expected);
    expect(readQrFromSvgElement(svg)).toBe(text);
  });

  it('applies margin, size and colours, and keeps a hostile colour inside its attribute', () => {
    const doc = parseSvg(qrSvg('hello', { margin: 1, size: 240, dark: '#123"/><script>x</script>', light: 'rgb(250,250,250)' }));
    const svg = doc.documentElement!;
    expect(svg.getAttribute('width')).toBe('240');
    expect(svg.getAttribute('viewBox')).toBe('0 0 23 23');
    expect(svg.getElementsByTagName('script').length).toBe(0);
    expect(svg.getElementsByTagName('path')[0]!.getAttribute('fill')).toBe('#123"/><script>x</script>');
    expect(svg.getElementsByTagName('rect')[0]!.getAttribute('fill')).toBe('rgb(250,250,250)');
  });

  it('refuses a negative or fractional margin and a size that is not a positive number', () => {
    expect(() => qrSvg('x', { margin: -1 })).toThrow(expect.objectContaining({ code: 'QR_OPTIONS_INVALID' }));
    expect(() => qrSvg('x', { margin: 1.5 })).toThrow(ShareKitInputError);
    expect(() => qrSvg('x', { size: Number.NaN })).toThrow(ShareKitInputError);
  });

  it('leaves the background transparent when light is null', () => {
    expect(parseSvg(qrSvg('hello', { light: null })).getElementsByTagName('rect').length).toBe(0);
  });

  it('reads back Chinese text', () => {
    expect(readQrFromSvgElement(parseSvg(qrSvg(chineseText)).documentElement!)).toBe(chineseText);
  });
});

describe('qrPng', () => {
  it('is (size + 2·margin)·scale pixels of pure black and white with a white quiet zone', async () => {
    const m = qrMatrix('https://tuike.test/p/1');
    const image = decodePng(await qrPng('https://tuike.test/p/1', { scale: 3, margin: 2 }));
    const side = (m.size + 4) * 3;
    expect([image.width, image.height]).toEqual([side, side]);
    const grey = (x: number, y: number) => image.data[(y * side + x) * 4]!;
    expect(new Set(Array.from({ length: side * side }, (_, i) => image.data[i * 4]))).toEqual(new Set([0, 255]));
    for (let i = 0; i < 6; i++) expect([grey(i, i), grey(side - 1 - i, i), grey(i, side - 1 - i)]).toEqual([255, 255, 255]);
    // the top-left finder pattern starts right after the quiet zone and is 7 modules wide
    expect([grey(6, 6), grey(6 + 7 * 3 - 1, 6), grey(6 + 7 * 3, 6)]).toEqual([0, 0, 255]);
    for (let y = 0; y < m.size; y++) for (let x = 0; x < m.size; x++) expect(grey((x + 2) * 3 + 1, (y + 2) * 3 + 1)).toBe(m.modules[y * m.size + x] ? 0 : 255);
  });

  it('round-trips a ~500 character ASCII share link through a QR reader', async () => {
    expect(longUrl.length).toBeGreaterThan(490);
    expect(readQrFromPng(await qrPng(longUrl, { scale: 4 }))).toBe(longUrl);
  });

  it('round-trips text containing Chinese through a QR reader', async () => {
    expect(readQrFromPng(await qrPng(chineseText))).toBe(chineseText);
  });

  it('refuses a scale that is not a whole number of pixels', async () => {
    await expect(qrPng('x', { scale: 0 })).rejects.toThrow(expect.objectContaining({ code: 'QR_OPTIONS_INVALID' }));
    await expect(qrPng('x', { scale: 2.5 })).rejects.toThrow(ShareKitInputError);
  });

  it('refuses empty text', async () => {
    await expect(qrPng('')).rejects.toThrow(/must not be empty/);
  });
});
