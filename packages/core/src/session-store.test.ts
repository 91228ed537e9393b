import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client } from '@libsql/client';
import { createSessionStore } from './session-store';
import { generateSessionToken, hashToken, SESSION_RENEW_WITHIN_MS, SESSION_TTL_MS } from './session-token';

const DAY = 24 * 60 * 60_000;
const T0 = Date.UTC(2026, 10, 1);
let dir: string;
let db: Client;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tuike-sessions-'));
  db = createClient({ url: `file:${join(dir, 'sessions.db')}` });
  await db.batch([
    'CREATE TABLE sessions (id TEXT PRIMARY KEY, kind TEXT NOT NULL, subject_id TEXT NOT NULL, expires_at INTEGER NOT NULL, created_at INTEGER NOT NULL)',
    'CREATE TABLE account_sessions (id TEXT PRIMARY KEY, subject_id TEXT NOT NULL, expires_at INTEGER NOT NULL, created_at INTEGER NOT NULL)',
  ], 'write');
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const staff = createSessionStore('sessions', 'staff');
const members = createSessionStore('sessions', 'member');
const accounts = createSessionStore('account_sessions');
const row = async (table: string, token: string) => (await db.execute({ sql: `SELECT * FROM ${table} WHERE id = ?`, args: [hashToken(token)] })).rows[0];

describe('session tokens', () => {
  it('are 32 base32 characters (160 random bits) and never repeat', () => {
    const tokens = new Set(Array.from({ length: 1000 }, generateSessionToken));
    expect(tokens.size).toBe(1000);
    for (const token of tokens) expect(token).toMatch(/^[a-z2-7]{32}$/);
  });

  it('are stored as their SHA-256 in hex', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('last 30 days and renew in their last 15', () => {
    expect(SESSION_TTL_MS).toBe(30 * DAY);
    expect(SESSION_RENEW_WITHIN_MS).toBe(15 * DAY);
  });
});

describe('createSessionStore', () => {
  it('creates a session stored only by the hash of its token', async () => {
    const { token, expiresAt } = await staff.create(db, 'staff-1', T0);
    expect(expiresAt).toBe(T0 + 30 * DAY);
    expect(await db.execute({ sql: 'SELECT * FROM sessions WHERE id = ?', args: [token] }).then((r) => r.rows)).toEqual([]);
    expect(await row('sessions', token)).toMatchObject({ kind: 'staff', subject_id: 'staff-1', expires_at: T0 + 30 * DAY, created_at: T0 });
  });

  it('validates a fresh session without renewing it', async () => {
    const { token } = await staff.create(db, 'staff-2', T0);
    expect(await staff.validate(db, token, T0 + DAY)).toEqual({ subjectId: 'staff-2', expiresAt: T0 + 30 * DAY, renewed: false });
    expect(await staff.validate(db, token, T0 + 15 * DAY - 1)).toMatchObject({ renewed: false });
  });

  it('renews a session used in its last 15 days to a full 30 from then', async () => {
    const { token } = await staff.create(db, 'staff-3', T0);
    const now = T0 + 20 * DAY;
    expect(await staff.validate(db, token, now)).toEqual({ subjectId: 'staff-3', expiresAt: now + 30 * DAY, renewed: true });
    expect(await row('sessions', token)).toMatchObject({ expires_at: now + 30 * DAY });
    expect(await staff.validate(db, token, T0 + 45 * DAY)).toMatchObject({ subjectId: 'staff-3' });
  });

  it('expires a session at its expiry time and deletes it', async () => {
    const { token, expiresAt } = await staff.create(db, 'staff-4', T0);
    expect(await staff.validate(db, token, expiresAt - 1)).not.toBeNull();
    const { token: other, expiresAt: otherExpiry } = await staff.create(db, 'staff-4b', T0);
    expect(await staff.validate(db, other, otherExpiry)).toBeNull();
    expect(await row('sessions', other)).toBeUndefined();
    expect(token).not.toBe(other);
  });

  it('invalidates one session, leaving the subject’s others', async () => {
    const a = await staff.create(db, 'staff-5', T0);
    const b = await staff.create(db, 'staff-5', T0);
    await staff.invalidate(db, a.token);
    expect(await staff.validate(db, a.token, T0)).toBeNull();
    expect(await staff.validate(db, b.token, T0)).not.toBeNull();
  });

  it('invalidates all sessions of one subject and kind only', async () => {
    const a = await staff.create(db, 'same-id', T0);
    const b = await staff.create(db, 'same-id', T0);
    const m = await members.create(db, 'same-id', T0);
    const other = await staff.create(db, 'someone-else', T0);
    await staff.invalidateAll(db, 'same-id');
    expect(await staff.validate(db, a.token, T0)).toBeNull();
    expect(await staff.validate(db, b.token, T0)).toBeNull();
    expect(await members.validate(db, m.token, T0)).not.toBeNull();
    expect(await staff.validate(db, other.token, T0)).not.toBeNull();
  });

  it('keeps kinds apart: a member token is not a staff session and the reverse', async () => {
    const m = await members.create(db, 'member-1', T0);
    const s = await staff.create(db, 'staff-6', T0);
    expect(await staff.validate(db, m.token, T0)).toBeNull();
    expect(await members.validate(db, s.token, T0)).toBeNull();
    expect(await members.validate(db, m.token, T0)).toMatchObject({ subjectId: 'member-1' });
  });

  it('works on the control plane’s account_sessions table without a kind', async () => {
    const { token } = await accounts.create(db, 'account-1', T0);
    expect(await row('account_sessions', token)).toMatchObject({ subject_id: 'account-1' });
    expect(await accounts.validate(db, token, T0)).toMatchObject({ subjectId: 'account-1', renewed: false });
    await accounts.invalidate(db, token);
    expect(await accounts.validate(db, token, T0)).toBeNull();
  });

  it.each(['', 'short', 'A'.repeat(32), `${'a'.repeat(31)}1`, `${'a'.repeat(32)}x`, "' OR 1=1 --"])('refuses the malformed token %j without a lookup', async (token) => {
    expect(await staff.validate(db, token, T0)).toBeNull();
  });

  it('refuses an unknown well-formed token', async () => {
    expect(await staff.validate(db, generateSessionToken(), T0)).toBeNull();
  });

  it('refuses the stored hash itself used as a token', async () => {
    const { token } = await staff.create(db, 'staff-7', T0);
    expect(await staff.validate(db, hashToken(token), T0)).toBeNull();
  });
});
