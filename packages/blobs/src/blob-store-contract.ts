import { describe, expect, it } from 'vitest';
import { InvalidBlobKeyError, type BlobStore } from './blob-store';

/** Keys every adapter must refuse, the traversal attempts first. */
export const BAD_KEYS = [
  '', '..', '../x', 'a/../../x', 'a/..', 'a/../b', '..a', 'a..b', '/etc/passwd', '/a',
  './a', 'a/./b', 'a//b', 'a/', 'a\\..\\x', 'a\\b', 'C:x', '%2e%2e/x', 'a\u0000b', 'a b',
  'A', 'photo.PNG', 'caf\u00e9', '\uff41', 'a\nb', 'x'.repeat(201),
];

const bytes = (...values: number[]) => new Uint8Array(values);

/** What every BlobStore adapter promises; each adapter's test file runs it with a fresh store. */
export function blobStoreContract(name: string, makeStore: () => Promise<BlobStore> | BlobStore) {
  describe(`BlobStore contract: ${name}`, () => {
    it('round-trips bytes and content type, then deletes', async () => {
      const store = await makeStore();
      const body = bytes(0, 1, 2, 0x0a, 0xff, 0x0d, 0x0a);
      await store.put('shops/a/images/x.png', body, { contentType: 'image/png' });
      expect(await store.get('shops/a/images/x.png')).toEqual({ body, contentType: 'image/png' });
      await store.delete('shops/a/images/x.png');
      expect(await store.get('shops/a/images/x.png')).toBeNull();
    });

    it('stores an empty body and a body of every byte value', async () => {
      const store = await makeStore();
      const all = Uint8Array.from({ length: 256 }, (_, k) => k);
      await store.put('empty', new Uint8Array(0), { contentType: 'application/octet-stream' });
      await store.put('all', all, { contentType: 'application/octet-stream' });
      expect((await store.get('empty'))?.body).toEqual(new Uint8Array(0));
      expect((await store.get('all'))?.body).toEqual(all);
    });

    it('returns a plain Uint8Array whatever the input view', async () => {
      const store = await makeStore();
      // A view into the middle of a larger buffer: only the viewed bytes are stored.
      const backing = bytes(9, 9, 1, 2, 3, 9, 9);
      await store.put('view', backing.subarray(2, 5), { contentType: 'text/plain' });
      const got = await store.get('view');
      expect(got?.body.constructor).toBe(Uint8Array);
      expect(got?.body).toEqual(bytes(1, 2, 3));
    });

    it('overwrites body and content type', async () => {
      const store = await makeStore();
      await store.put('k', bytes(1, 2, 3), { contentType: 'image/png' });
      await store.put('k', bytes(4), { contentType: 'image/jpeg' });
      expect(await store.get('k')).toEqual({ body: bytes(4), contentType: 'image/jpeg' });
    });

    it('keeps content types with parameters', async () => {
      const store = await makeStore();
      await store.put('doc.txt', bytes(0x68, 0x69), { contentType: 'text/plain; charset=utf-8' });
      expect((await store.get('doc.txt'))?.contentType).toBe('text/plain; charset=utf-8');
    });

    it('returns null for a missing key and deletes missing keys quietly', async () => {
      const store = await makeStore();
      expect(await store.get('never/written')).toBeNull();
      await expect(store.delete('never/written')).resolves.toBeUndefined();
    });

    it('keeps keys independent, including a key and one below it', async () => {
      const store = await makeStore();
      await store.put('a', bytes(1), { contentType: 'text/plain' });
      await store.put('a/b', bytes(2), { contentType: 'text/plain' });
      await store.put('a.b', bytes(3), { contentType: 'text/plain' });
      expect((await store.get('a'))?.body).toEqual(bytes(1));
      expect((await store.get('a/b'))?.body).toEqual(bytes(2));
      expect((await store.get('a.b'))?.body).toEqual(bytes(3));
      await store.delete('a');
      expect(await store.get('a')).toBeNull();
      expect((await store.get('a/b'))?.body).toEqual(bytes(2));
    });

    it('is not affected by changes to the bytes put in or taken out', async () => {
      const store = await makeStore();
      const input = bytes(1, 2, 3);
      await store.put('k', input, { contentType: 'text/plain' });
      input[0] = 99;
      const first = await store.get('k');
      if (first) first.body[1] = 99;
      expect((await store.get('k'))?.body).toEqual(bytes(1, 2, 3));
    });

    it('accepts the longest and the most varied valid keys', async () => {
      const store = await makeStore();
      for (const key of ['x'.repeat(200), 'a-b_c.d/0-9/.hidden', 'shops/shop-1/images/ab.webp']) {
        await store.put(key, bytes(7), { contentType: 'text/plain' });
        expect((await store.get(key))?.body).toEqual(bytes(7));
      }
    });

    it.each(BAD_KEYS)('rejects the bad key %j in put, get and delete', async (key) => {
      const store = await makeStore();
      await expect(store.put(key, bytes(1), { contentType: 'text/plain' })).rejects.toThrow(InvalidBlobKeyError);
      await expect(store.get(key)).rejects.toThrow(InvalidBlobKeyError);
      await expect(store.delete(key)).rejects.toThrow(InvalidBlobKeyError);
    });

    it('rejects content types that are not printable ASCII', async () => {
      const store = await makeStore();
      for (const contentType of ['', 'text/plain\nX-Evil: 1', 'text/\u00e9', ' text/plain', 'x'.repeat(201)]) {
        await expect(store.put('k', bytes(1), { contentType })).rejects.toThrow(TypeError);
      }
      expect(await store.get('k')).toBeNull();
    });
  });
}
