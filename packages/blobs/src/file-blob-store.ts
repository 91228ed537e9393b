import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { assertBlobKey, assertContentType, type BlobStore } from './blob-store';

export interface FileBlobStoreOptions {
  /** Root folder; every object lives below it. Created on the first put. */
  dir: string;
}

/*
 * On-disk layout: the object at key `a/b.png` is the file `<dir>/a/b.png@blob`. The suffix uses a
 * character keys cannot contain, so a file never shares a name with a key's folder (the keys `a`
 * and `a/b` can both exist) and temp files (`…@tmp-<uuid>`) never look like objects.
 *
 * The content type travels in the same file, as one header line before the body, so a single
 * rename replaces body and type together; a sidecar file could be left out of step by a crash.
 */
const SUFFIX = '@blob';
const MAGIC = 'tuike-blob/1 ';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function createFileBlobStore(opts: FileBlobStoreOptions): BlobStore {
  const root = resolve(opts.dir);
  const inside = root.endsWith(sep) ? root : root + sep; // the root may be `/` itself

  function pathOf(key: string): string {
    const path = resolve(root, assertBlobKey(key) + SUFFIX);
    // Key validation already rules out escapes; this second check keeps the guarantee local, so
    // a future change to the key rules cannot open the file system outside the root.
    if (!path.startsWith(inside)) throw new Error(`blob key escapes the store: ${JSON.stringify(key)}`);
    return path;
  }

  return {
    async put(key, body, meta) {
      const path = pathOf(key);
      const header = encoder.encode(`${MAGIC}${assertContentType(meta.contentType)}\n`);
      await mkdir(dirname(path), { recursive: true });
      // Write a temp file beside the target and rename it over: readers see the old object or the
      // new one, never a half-written file. `wx` refuses to reuse (or follow) an existing path.
      const temp = `${path.slice(0, -SUFFIX.length)}@tmp-${randomUUID()}`;
      try {
        const file = await open(temp, 'wx');
        try {
          await file.writeFile(header);
          await file.writeFile(body);
          // Flush before the rename, so a power cut cannot leave the new name on empty data.
          await file.sync();
        } finally {
          await file.close();
        }
        await rename(temp, path);
      } catch (e) {
        await rm(temp, { force: true });
        throw e;
      }
    },

    async get(key) {
      const path = pathOf(key);
      let bytes: Uint8Array;
      try {
        bytes = await readFile(path);
      } catch (e) {
        if (isMissing(e)) return null;
        throw e;
      }
      const newline = bytes.indexOf(0x0a);
      const header = newline < 0 ? '' : decoder.decode(bytes.subarray(0, newline));
      if (!header.startsWith(MAGIC)) throw new Error(`corrupt blob file: ${path}`);
      // A plain Uint8Array copy, not a Buffer view: callers get the same type from every adapter.
      return { body: new Uint8Array(bytes.subarray(newline + 1)), contentType: header.slice(MAGIC.length) };
    },

    async delete(key) {
      // Empty folders are left behind on purpose: removing them would race a concurrent put that
      // has just created the folder and is about to write into it.
      await rm(pathOf(key), { force: true });
    },
  };
}

function isMissing(e: unknown): boolean {
  const code = e instanceof Error && 'code' in e ? e.code : undefined;
  // ENOTDIR: a path component is a file, so the object cannot exist either.
  return code === 'ENOENT' || code === 'ENOTDIR';
}
