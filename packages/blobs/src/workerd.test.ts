/**
 * The edge lane: the Worker-safe entry bundled and run in workerd (via Miniflare) against a real
 * R2 binding, and the BlobStore contract run against that binding from Node.
 */
import { createHash } from 'node:crypto';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { blobStoreContract } from './blob-store-contract';
import { createR2BlobStore, type R2BucketLike } from './r2-blob-store';
import { jpeg, png } from './test-images';

// The upload path a Worker route will take: inspect, hash, name, store, read back.
const WORKER_SOURCE = `
import { createR2BlobStore, imageKey, inspectImage, sha256Hex } from './index';
export default {
  async fetch(request, env) {
    const bytes = new Uint8Array(await request.arrayBuffer());
    const info = inspectImage(bytes);
    if (!info.ok) return Response.json(info, { status: 415 });
    const key = imageKey('shop-edge', await sha256Hex(bytes), info.extension);
    const store = createR2BlobStore(env.IMAGES);
    await store.put(key, bytes, { contentType: info.contentType });
    const back = await store.get(key);
    return Response.json({ info, key, size: back.body.length, contentType: back.contentType });
  },
};
`;

let mf: Miniflare;
let bucket: R2BucketLike;

beforeAll(async () => {
  const bundle = await build({
    stdin: { contents: WORKER_SOURCE, resolveDir: import.meta.dirname, loader: 'js' },
    bundle: true,
    format: 'esm',
    // neutral: any Node built-in reached from ./index fails the build instead of loading.
    platform: 'neutral',
    write: false,
  });
  const script = bundle.outputFiles[0]?.text;
  if (!script) throw new Error('esbuild produced no output');
  mf = new Miniflare({ modules: true, script, compatibilityDate: '2025-01-01', r2Buckets: ['IMAGES'] });
  bucket = await mf.getR2Bucket('IMAGES');
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
});

let run = 0;
/** One real bucket for every test, so each store gets its own key space within it. */
function prefixed(inner: R2BucketLike, prefix: string): R2BucketLike {
  return {
    put: (key, value, options) => inner.put(prefix + key, value, options),
    get: (key) => inner.get(prefix + key),
    delete: (key) => inner.delete(prefix + key),
  };
}

blobStoreContract('R2 (Miniflare bucket)', () => createR2BlobStore(prefixed(bucket, `run-${++run}/`)));

it('inspects, hashes and stores an upload inside workerd', async () => {
  const image = png(4, 2);
  const res = await mf.dispatchFetch('http://worker.test/', { method: 'POST', body: image });
  const sha = createHash('sha256').update(image).digest('hex');
  expect(await res.json()).toEqual({
    info: { ok: true, contentType: 'image/png', extension: 'png', width: 4, height: 2 },
    key: `shops/shop-edge/images/${sha}.png`,
    size: image.length,
    contentType: 'image/png',
  });
  const stored = await bucket.get(`shops/shop-edge/images/${sha}.png`);
  expect(new Uint8Array((await stored?.arrayBuffer()) ?? new ArrayBuffer(0))).toEqual(image);
  expect(stored?.httpMetadata?.contentType).toBe('image/png');

  const photo = await mf.dispatchFetch('http://worker.test/', { method: 'POST', body: jpeg(9, 9) });
  expect(await photo.json()).toMatchObject({ info: { contentType: 'image/jpeg', width: 9, height: 9 } });
});

it('refuses SVG inside workerd', async () => {
  const res = await mf.dispatchFetch('http://worker.test/', { method: 'POST', body: '<svg onload="alert(1)"/>' });
  expect(res.status).toBe(415);
  expect(await res.json()).toEqual({ ok: false, code: 'IMAGE_TYPE_UNSUPPORTED' });
});
