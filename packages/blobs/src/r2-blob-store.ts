import { assertBlobKey, assertContentType, type BlobStore } from './blob-store';

/**
 * The part of a Workers R2Bucket binding this adapter uses, typed structurally so this package
 * needs no Workers types; a real binding (or Miniflare's) is assignable to it.
 */
export interface R2BucketLike {
  put(key: string, value: Uint8Array, options: { httpMetadata: { contentType: string } }): Promise<unknown>;
  get(key: string): Promise<R2ObjectBodyLike | null>;
  delete(key: string): Promise<void>;
}

export interface R2ObjectBodyLike {
  arrayBuffer(): Promise<ArrayBuffer>;
  httpMetadata?: { contentType?: string };
}

/** Objects written without a content type (by hand, by another tool) are served as opaque bytes. */
const FALLBACK_CONTENT_TYPE = 'application/octet-stream';

export function createR2BlobStore(bucket: R2BucketLike): BlobStore {
  return {
    async put(key, body, meta) {
      await bucket.put(assertBlobKey(key), body, { httpMetadata: { contentType: assertContentType(meta.contentType) } });
    },
    async get(key) {
      const object = await bucket.get(assertBlobKey(key));
      if (!object) return null;
      return { body: new Uint8Array(await object.arrayBuffer()), contentType: object.httpMetadata?.contentType ?? FALLBACK_CONTENT_TYPE };
    },
    async delete(key) {
      await bucket.delete(assertBlobKey(key));
    },
  };
}
