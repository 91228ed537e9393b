/**
 * Test-only readers: turn what the kit produced back into pixels with independent code (pngjs,
 * a small SVG path interpreter, an XML parser) and let jsQR read the code, so a test asserts the
 * text a phone would get, not the kit's own idea of it. Node only; not exported by the package.
 */
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

export function parseSvg(svg: string): Document {
  const parser = new DOMParser({
    onError: (level, message) => {
      throw new Error(`XML ${level}: ${message}`);
    },
  });
  return parser.parseFromString(svg, 'image/svg+xml');
}

export function decodePng(png: Uint8Array) {
  return PNG.sync.read(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
}

export function readQrFromRgba(rgba: Uint8Array, width: number, height: number): string | null {
  const found = jsQR(new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, rgba.byteLength), width, height, { inversionAttempts: 'dontInvert' });
  return found ? found.data : null;
}

export function readQrFromPng(png: Uint8Array): string | null {
  const image = decodePng(png);
  return readQrFromRgba(image.data, image.width, image.height);
}

/**
 * Fills a `side`×`side` grid from path data made of closed axis-aligned rectangles drawn with
 * M/m/h/v/H/V/z (what qr.ts emits). Throws on anything else, so a change of output format is seen.
 */
export function gridFromPath(d: string, side: number): Uint8Array {
  const grid = new Uint8Array(side * side);
  const tokens = d.match(/[MmHhVvZz]|-?\d+(?:\.\d+)?/g) ?? [];
  let x = 0;
  let y = 0;
  let start = { x: 0, y: 0 };
  let points: Array<{ x: number; y: number }> = [];
  const num = (i: number) => {
    const t = tokens[i];
    if (t === undefined || !/\d/.test(t)) throw new Error(`number expected at token ${i} of ${d.slice(0, 80)}`);
    return Number(t);
  };
  const close = () => {
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const corners = new Set(points.map((p) => `${p.x},${p.y}`));
    if (corners.size !== 4 || ![`${x0},${y0}`, `${x1},${y0}`, `${x1},${y1}`, `${x0},${y1}`].every((c) => corners.has(c))) {
      throw new Error(`subpath is not a rectangle: ${[...corners].join(' ')}`);
    }
    for (let gy = y0; gy < y1; gy++) for (let gx = x0; gx < x1; gx++) grid[gy * side + gx] = 1;
    x = start.x;
    y = start.y;
    points = [];
  };
  for (let i = 0; i < tokens.length; ) {
    const cmd = tokens[i++];
    switch (cmd) {
      case 'M': x = num(i++); y = num(i++); start = { x, y }; points = [{ x, y }]; break;
      case 'm': x += num(i++); y += num(i++); start = { x, y }; points = [{ x, y }]; break;
      case 'h': x += num(i++); points.push({ x, y }); break;
      case 'H': x = num(i++); points.push({ x, y }); break;
      case 'v': y += num(i++); points.push({ x, y }); break;
      case 'V': y = num(i++); points.push({ x, y }); break;
      case 'z': case 'Z': close(); break;
      default: throw new Error(`unexpected path token ${cmd}`);
    }
  }
  if (points.length > 1) throw new Error('path ends with an open subpath');
  return grid;
}

/** Draws a module grid as RGBA (black on white, `scale` px per module, extra white border). */
export function rgbaFromGrid(grid: Uint8Array, side: number, scale = 4, border = 4) {
  const width = (side + 2 * border) * scale;
  const rgba = new Uint8Array(width * width * 4).fill(255);
  for (let py = 0; py < width; py++) {
    for (let px = 0; px < width; px++) {
      const gx = Math.floor(px / scale) - border;
      const gy = Math.floor(py / scale) - border;
      if (gx >= 0 && gy >= 0 && gx < side && gy < side && grid[gy * side + gx]) rgba.fill(0, (py * width + px) * 4, (py * width + px) * 4 + 3);
    }
  }
  return { rgba, width };
}

/** Reads the QR code of an `<svg viewBox="0 0 n n">` element holding one `<path>` of modules. */
export function readQrFromSvgElement(svg: Element): string | null {
  const viewBox = (svg.getAttribute('viewBox') ?? '').split(/\s+/).map(Number);
  const side = viewBox[2];
  if (!side || viewBox[3] !== side) throw new Error(`expected a square viewBox, got ${svg.getAttribute('viewBox')}`);
  const paths = svg.getElementsByTagName('path');
  if (paths.length !== 1) throw new Error(`expected one path, got ${paths.length}`);
  const grid = gridFromPath(paths[0]!.getAttribute('d') ?? '', side);
  const { rgba, width } = rgbaFromGrid(grid, side);
  return readQrFromRgba(rgba, width, width);
}

/** Every element of the document, depth first, for checks over the whole tree. */
export function allElements(doc: Document): Element[] {
  return Array.from(doc.getElementsByTagName('*'));
}
