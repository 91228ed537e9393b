import { assertBlobKey, assertContentType, type BlobObject, type BlobStore } from './blob-store';

/** For tests: objects in a Map. Bodies are copied in and out, as a real store would. */
export function createMemoryBlobStore(): BlobStore {
  const objects = new Map<string, BlobObject>();
  return {
    async put(key, body, meta) {
      objects.set(assertBlobKey(key), { body: body.slice(), contentType: assertContentType(meta.contentType) });
    },
    async get(key) {
      const found = objects.get(assertBlobKey(key));
      return found ? { body: found.body.slice(), contentType: found.contentType } : null;
    },
    async delete(key) {
      objects.delete(assertBlobKey(key));
    },
  };
}
