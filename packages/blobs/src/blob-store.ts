/**
 * The `blobs` runtime port: product images now, posters and backups later. Embedded builds store
 * files on disk, the edge build stores R2 objects; callers only see this interface.
 */
export interface BlobStore {
  /** Stores (or replaces) the object at key. */
  put(key: string, body: Uint8Array, meta: { contentType: string }): Promise<void>;
  /** The object at key, or null when there is none. */
  get(key: string): Promise<BlobObject | null>;
  /** Removes the object at key; removing a missing key is not an error (retries stay safe). */
  delete(key: string): Promise<void>;
}

export interface BlobObject {
  body: Uint8Array;
  contentType: string;
}

export class InvalidBlobKeyError extends Error {
  constructor(key: string) {
    super(`invalid blob key: ${JSON.stringify(key)}`);
    this.name = 'InvalidBlobKeyError';
  }
}

// Lowercase only, so keys cannot alias on case-insensitive file systems; no backslash, NUL, `%`
// or other characters that a file system or URL would reinterpret.
const KEY = /^[a-z0-9/_.-]{1,200}$/;

/**
 * Throws unless key is a blob key. Beyond the character set: no `..` (never a parent directory),
 * no leading `/` (never an absolute path), and no empty or `.` segments, because `a//b` and
 * `a/./b` would name the same file as `a/b` on disk but distinct objects in R2.
 */
export function assertBlobKey(key: string): string {
  const ok = KEY.test(key) && !key.includes('..') && key.split('/').every((s) => s !== '' && s !== '.');
  if (!ok) throw new InvalidBlobKeyError(key);
  return key;
}

/**
 * Throws unless contentType is printable ASCII (what an HTTP header can carry), at most 200
 * characters. Checked by every adapter so they accept exactly the same input.
 */
export function assertContentType(contentType: string): string {
  if (!/^[\x21-\x7e][\x20-\x7e]{0,199}$/.test(contentType)) throw new TypeError(`invalid content type: ${JSON.stringify(contentType)}`);
  return contentType;
}
