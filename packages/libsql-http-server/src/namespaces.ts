import Database from 'libsql';
import { closeSync, existsSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isValidNamespace } from './namespace-url';

/** Namespaces are the files `{dataDir}/{name}.db`; nothing else is kept about them. */
export class NamespaceStore {
  constructor(readonly dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
  }

  fileOf(name: string): string {
    if (!isValidNamespace(name)) throw new Error(`invalid namespace name ${JSON.stringify(name)}`);
    return join(this.dataDir, `${name}.db`);
  }

  exists(name: string): boolean {
    return existsSync(this.fileOf(name));
  }

  /** Creates the database file; false if it already existed (left untouched). */
  create(name: string): boolean {
    const file = this.fileOf(name);
    try {
      // 'wx' creates atomically, so two concurrent creates cannot both succeed.
      closeSync(openSync(file, 'wx'));
    } catch (err) {
      if (err instanceof Error && Reflect.get(err, 'code') === 'EEXIST') return false;
      throw err;
    }
    // WAL is a property of the file; setting it at birth means every later client starts in WAL.
    const db = new Database(file);
    try {
      db.exec('PRAGMA journal_mode = WAL');
    } finally {
      db.close();
    }
    return true;
  }

  /** Deletes the database and its side files; false if it did not exist. */
  delete(name: string): boolean {
    const file = this.fileOf(name);
    if (!existsSync(file)) return false;
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
    return true;
  }
}
