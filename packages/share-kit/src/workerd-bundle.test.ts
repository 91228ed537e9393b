/**
 * The kit must run inside a Worker without nodejs_compat. This bundles it the way wrangler does
 * (esbuild, workerd/worker/browser conditions), checks no Node-only module got in, and runs the
 * bundle in workerd through Miniflare: a QR PNG and a poster made there must read back here.
 */
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSvg, readQrFromPng } from './testing/qr-reader';

const workerSource = `
import { qrPng, productPosterSvg } from './index.ts';
export default {
  async fetch(request) {
    const url = new URL(request.url);
    const text = url.searchParams.get('text') ?? '';
    try {
      if (url.pathname === '/qr.png') return new Response(await qrPng(text, { scale: 4 }), { headers: { 'content-type': 'image/png' } });
      if (url.pathname === '/poster.svg') {
        const svg = productPosterSvg({ productImageHref: 'https://img.tuike.test/1.jpg', title: text, priceFen: 19900, shopName: '小店', distributorName: '张三', qrText: 'https://tuike.test/p/1', locale: 'zh-CN' });
        return new Response(svg, { headers: { 'content-type': 'image/svg+xml' } });
      }
    } catch (e) {
      return new Response(String(e && e.code), { status: 400 });
    }
    return new Response('not found', { status: 404 });
  },
};`;

let bundle: { code: string; inputs: string[] };
let mf: Miniflare;

beforeAll(async () => {
  const result = await build({
    stdin: { contents: workerSource, resolveDir: import.meta.dirname, sourcefile: 'worker.js', loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  bundle = { code: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs) };
  mf = new Miniflare({ modules: true, script: bundle.code, compatibilityDate: '2026-04-26' });
  await mf.ready;
});

afterAll(async () => {
  await mf?.dispose();
});

describe('the kit in workerd', () => {
  it('bundles only the pure qrcode core: no fs, pngjs, yargs, Buffer or node: imports', () => {
    expect(bundle.inputs.some((p) => p.includes('qrcode/lib/core/qrcode.js'))).toBe(true);
    expect(bundle.inputs.filter((p) => /pngjs|yargs|qrcode\/lib\/(server|index|renderer)|node:|(^|\/)fs(\/|$)/.test(p))).toEqual([]);
    expect(bundle.code).not.toMatch(/\bBuffer\.|require\(["'](?:node:)?(?:fs|zlib|buffer|stream)["']\)/);
  });

  it('makes a QR PNG there that a reader decodes to the same Chinese text', async () => {
    const text = 'https://tuike.test/s/店铺/p/42?d=张三';
    const res = await mf.dispatchFetch(`http://worker.test/qr.png?text=${encodeURIComponent(text)}`);
    expect(res.status).toBe(200);
    expect(readQrFromPng(new Uint8Array(await res.arrayBuffer()))).toBe(text);
  });

  it('makes an escaped poster there', async () => {
    const res = await mf.dispatchFetch(`http://worker.test/poster.svg?text=${encodeURIComponent('<script>x</script> & 围巾')}`);
    const doc = parseSvg(await res.text());
    expect(doc.getElementsByTagName('script').length).toBe(0);
    expect(doc.documentElement!.getAttribute('height')).toBe('1334');
  });

  it('reports empty QR text with its error code', async () => {
    const res = await mf.dispatchFetch('http://worker.test/qr.png?text=');
    expect([res.status, await res.text()]).toEqual([400, 'QR_TEXT_EMPTY']);
  });
});
