import { randomBytes } from 'node:crypto';
import { HttpError } from './errors';
import type { SqlConnection } from './sql-connection';

/**
 * A Hrana stream: one SQLite connection that outlives a single HTTP request, so an interactive
 * transaction can span several requests. `conn` is null once the client sent `close`.
 */
export interface Stream {
  readonly id: string;
  readonly namespace: string;
  conn: SqlConnection | null;
  /** SQL texts stored with `store_sql`; scoped to the stream, as Hrana over HTTP specifies. */
  readonly sqls: Map<number, string>;
}

interface Entry {
  stream: Stream;
  /** Secret half of the baton expected next; rotated on every request. */
  token: string;
  /** True while a request is using the stream; a second request with the same baton is refused. */
  busy: boolean;
  idleTimer: NodeJS.Timeout | undefined;
}

// Expired streams are remembered for a while so a late client gets "expired", not "invalid".
const EXPIRED_MEMORY_MS = 5 * 60_000;

const randomToken = (bytes: number) => randomBytes(bytes).toString('base64url');

/**
 * Streams by id, with their batons. A baton is `<stream id>.<token>`; each response hands out a
 * fresh token, so a baton works exactly once and requests on a stream are forced to be serial.
 * Streams idle longer than `idleTimeoutMs` are closed, which rolls back an abandoned transaction.
 */
export class StreamRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly expiredAt = new Map<string, number>();

  constructor(private readonly idleTimeoutMs: number) {}

  /** Takes the stream named by `baton` for one request, or starts a new one when it is null. */
  acquire(namespace: string, baton: string | null, open: () => SqlConnection): Stream {
    if (baton === null) {
      const stream: Stream = { id: randomToken(12), namespace, conn: open(), sqls: new Map() };
      this.entries.set(stream.id, { stream, token: '', busy: true, idleTimer: undefined });
      return stream;
    }
    const [id = '', token] = baton.split('.');
    const entry = this.entries.get(id);
    if (!entry) {
      if (this.expiredAt.has(id)) throw new HttpError(400, 'STREAM_EXPIRED', 'The stream has expired due to inactivity');
      throw new HttpError(400, 'BATON_INVALID', 'Received an invalid baton');
    }
    if (entry.stream.namespace !== namespace) throw new HttpError(400, 'BATON_INVALID', 'The baton belongs to a stream of another database');
    if (entry.busy || entry.token !== token) throw new HttpError(400, 'BATON_REUSED', 'Received a baton that has already been used');
    entry.busy = true;
    clearTimeout(entry.idleTimer);
    return entry.stream;
  }

  /** Ends a request on the stream: returns the baton for the next request, or null if it closed. */
  release(stream: Stream): string | null {
    const entry = this.entries.get(stream.id);
    if (!entry) return null;
    if (stream.conn === null) {
      this.entries.delete(stream.id);
      return null;
    }
    entry.busy = false;
    entry.token = randomToken(18);
    entry.idleTimer = setTimeout(() => this.expire(stream.id), this.idleTimeoutMs);
    // Idle streams must not keep a process (a CLI, a test run) alive.
    entry.idleTimer.unref();
    return `${stream.id}.${entry.token}`;
  }

  /** Closes a stream for good, e.g. after a protocol error left its state unknown. */
  discard(stream: Stream): void {
    stream.conn?.close();
    stream.conn = null;
    const entry = this.entries.get(stream.id);
    if (entry) clearTimeout(entry.idleTimer);
    this.entries.delete(stream.id);
  }

  /** Closes every stream of a namespace (its database is being deleted). */
  closeNamespace(namespace: string): void {
    for (const { stream } of [...this.entries.values()]) {
      if (stream.namespace === namespace) this.discard(stream);
    }
  }

  closeAll(): void {
    for (const { stream } of [...this.entries.values()]) this.discard(stream);
  }

  get size(): number {
    return this.entries.size;
  }

  private expire(id: string): void {
    const entry = this.entries.get(id);
    if (!entry || entry.busy) return;
    this.discard(entry.stream);
    const now = Date.now();
    for (const [oldId, at] of this.expiredAt) if (now - at > EXPIRED_MEMORY_MS) this.expiredAt.delete(oldId);
    this.expiredAt.set(id, now);
  }
}
