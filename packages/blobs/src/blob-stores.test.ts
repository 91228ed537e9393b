import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BAD_KEYS, blobStoreContract } from './blob-store-contract';
import { createFileBlobStore } from './file-blob-store';
import { createMemoryBlobStore } from './memory-blob-store';
import { createR2BlobStore, type R2BucketLike, type R2ObjectBodyLike } from './r2-blob-store';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tuike-blobs-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Every file below dir, as paths relative to it. */
async function filesUnder(dir: string, base = dir): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(path, base)));
    else found.push(relative(base, path));
  }
  return found.sort();
}

/** Behaves like an R2 binding as far as the adapter can tell: copies bytes, metadata optional. */
class FakeR2Bucket implements R2BucketLike {
  readonly objects = new Map<string, { bytes: Uint8Array; httpMetadata?: { contentType?: string } }>();
  async put(key: string, value: Uint8Array, options: { httpMetadata: { contentType: string } }) {
    this.objects.set(key, { bytes: value.slice(), httpMetadata: { ...options.httpMetadata } });
    return { key };
  }
  async get(key: string): Promise<R2ObjectBodyLike | null> {
    const found = this.objects.get(key);
    if (!found) return null;
    const copy = found.bytes.slice();
    return { arrayBuffer: async () => copy.buffer, httpMetadata: found.httpMetadata };
  }
  async delete(key: string) {
    this.objects.delete(key);
  }
}

blobStoreContract('memory', () => createMemoryBlobStore());
blobStoreContract('file', async () => createFileBlobStore({ dir: join(await tempDir(), 'store') }));
blobStoreContract('R2 (fake bucket)', () => createR2BlobStore(new FakeR2Bucket()));

describe('file blob store', () => {
  it('never touches anything outside its root, whatever the key', async () => {
    const parent = await tempDir();
    const root = join(parent, 'store');
    await writeFile(join(parent, 'sentinel'), 'keep');
    const store = createFileBlobStore({ dir: root });
    await store.put('inside/ok.png', new Uint8Array([1]), { contentType: 'image/png' });
    for (const key of [...BAD_KEYS, '../sentinel', '../store/inside/ok.png', 'inside/../../sentinel']) {
      await expect(store.put(key, new Uint8Array([6, 6, 6]), { contentType: 'text/plain' })).rejects.toThrow();
      await expect(store.get(key)).rejects.toThrow();
      await expect(store.delete(key)).rejects.toThrow();
    }
    expect(await filesUnder(parent)).toEqual(['sentinel', join('store', 'inside', 'ok.png@blob')]);
    expect(await readFile(join(parent, 'sentinel'), 'utf8')).toBe('keep');
  });

  it('lays objects out below the root and leaves no temp files', async () => {
    const root = await tempDir();
    const store = createFileBlobStore({ dir: root });
    await store.put('shops/s1/images/a.png', new Uint8Array([1, 2]), { contentType: 'image/png' });
    await store.put('a', new Uint8Array([3]), { contentType: 'text/plain' });
    await store.put('a/b', new Uint8Array([4]), { contentType: 'text/plain' });
    expect(await filesUnder(root)).toEqual([join('a', 'b@blob'), 'a@blob', join('shops', 's1', 'images', 'a.png@blob')]);
  });

  it('keeps objects across store instances on the same folder', async () => {
    const root = await tempDir();
    await createFileBlobStore({ dir: root }).put('k', new Uint8Array([5]), { contentType: 'image/gif' });
    expect(await createFileBlobStore({ dir: root }).get('k')).toEqual({ body: new Uint8Array([5]), contentType: 'image/gif' });
  });

  it('returns null when the root folder does not exist yet', async () => {
    const store = createFileBlobStore({ dir: join(await tempDir(), 'not', 'yet') });
    expect(await store.get('k')).toBeNull();
    await expect(store.delete('k')).resolves.toBeUndefined();
  });

  it('ends concurrent writes to one key with one whole body', async () => {
    const root = await tempDir();
    const store = createFileBlobStore({ dir: root });
    const bodies = Array.from({ length: 20 }, (_, n) => new Uint8Array(64 * 1024).fill(n));
    await Promise.all(bodies.map((body, n) => store.put('race', body, { contentType: `image/x-${n}` })));
    const got = await store.get('race');
    const n = Number(got?.contentType.slice('image/x-'.length));
    expect(got?.body).toEqual(bodies[n]);
    expect(await filesUnder(root)).toEqual(['race@blob']);
  });

  it('removes its temp file and keeps the old object when the final rename fails', async () => {
    const root = await tempDir();
    const store = createFileBlobStore({ dir: root });
    await store.put('x/k', new Uint8Array([1]), { contentType: 'text/plain' });
    // A folder where a sibling object's file belongs makes that rename fail.
    await mkdir(join(root, 'x', 'blocked@blob'));
    await expect(store.put('x/blocked', new Uint8Array([2]), { contentType: 'text/plain' })).rejects.toThrow();
    expect(await readdir(join(root, 'x'))).toEqual(expect.arrayContaining(['blocked@blob', 'k@blob']));
    expect((await readdir(join(root, 'x'))).length).toBe(2);
    expect((await store.get('x/k'))?.body).toEqual(new Uint8Array([1]));
  });

  it('refuses a file that is not in its format instead of guessing', async () => {
    const root = await tempDir();
    await writeFile(join(root, 'k@blob'), 'no header here');
    await expect(createFileBlobStore({ dir: root }).get('k')).rejects.toThrow(/corrupt blob file/);
  });
});

describe('R2 blob store', () => {
  it('hands the content type to R2 as HTTP metadata', async () => {
    const bucket = new FakeR2Bucket();
    await createR2BlobStore(bucket).put('k', new Uint8Array([1]), { contentType: 'image/webp' });
    expect(bucket.objects.get('k')?.httpMetadata).toEqual({ contentType: 'image/webp' });
  });

  it('serves objects stored without a content type as application/octet-stream', async () => {
    const bucket = new FakeR2Bucket();
    bucket.objects.set('k', { bytes: new Uint8Array([1]) });
    expect(await createR2BlobStore(bucket).get('k')).toEqual({ body: new Uint8Array([1]), contentType: 'application/octet-stream' });
  });
});
