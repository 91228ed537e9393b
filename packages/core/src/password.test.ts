import { describe, expect, it } from 'vitest';
import { createPasswordHasher, isStrongPassword, PBKDF2_ITERATIONS, UNUSABLE_PASSWORD_HASH } from './password';

const hasher = createPasswordHasher('test-pepper');

describe('password hashing', () => {
  it('verifies the password it hashed', async () => {
    const hash = await hasher.hash('correct-horse-9');
    expect(await hasher.verify('correct-horse-9', hash)).toBe(true);
  });

  it('rejects a wrong password, including near misses', async () => {
    const hash = await hasher.hash('correct-horse-9');
    for (const wrong of ['correct-horse-8', 'Correct-horse-9', 'correct-horse-9 ', '', 'correct-horse']) {
      expect(await hasher.verify(wrong, hash), wrong).toBe(false);
    }
  });

  it('encodes algorithm, 100,000 iterations, a 16-byte salt and a 32-byte key', async () => {
    const hash = await hasher.hash('correct-horse-9');
    expect(PBKDF2_ITERATIONS).toBe(100_000);
    expect(hash).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
  });

  it('salts every hash: the same password hashes differently each time', async () => {
    const [a, b] = await Promise.all([hasher.hash('same-pass-1'), hasher.hash('same-pass-1')]);
    expect(a).not.toBe(b);
    expect(await hasher.verify('same-pass-1', a)).toBe(true);
    expect(await hasher.verify('same-pass-1', b)).toBe(true);
  });

  it('depends on the pepper: a hasher with another pepper cannot verify', async () => {
    const hash = await hasher.hash('correct-horse-9');
    expect(await createPasswordHasher('other-pepper').verify('correct-horse-9', hash)).toBe(false);
    expect(await createPasswordHasher('test-pepper').verify('correct-horse-9', hash)).toBe(true);
  });

  it('normalises Unicode (NFKC): full-width and composed forms of a password match', async () => {
    const hash = await hasher.hash('pass１２３４ｗｏｒｄ');
    expect(await hasher.verify('pass1234word', hash)).toBe(true);
    const cafe = await hasher.hash('caf\u00e9-pass-1');
    expect(await hasher.verify('cafe\u0301-pass-1', cafe)).toBe(true);
  });

  it('handles Chinese passwords', async () => {
    const hash = await hasher.hash('我的密码很长2026');
    expect(await hasher.verify('我的密码很长2026', hash)).toBe(true);
    expect(await hasher.verify('我的密码很短2026', hash)).toBe(false);
  });

  it.each([
    ['an empty string', ''],
    ['another scheme', 'bcrypt$10$abc$def'],
    ['missing parts', 'pbkdf2-sha256$100000$AAAA'],
    ['non-numeric iterations', 'pbkdf2-sha256$lots$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
    ['zero iterations', 'pbkdf2-sha256$0$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
    ['more iterations than workerd allows (a cost bomb)', 'pbkdf2-sha256$100000000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
    ['fractional iterations', 'pbkdf2-sha256$1.5$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
  ])('returns false for a stored hash with %s', async (_, encoded) => {
    expect(await hasher.verify('anything-1', encoded)).toBe(false);
  });

  it('never verifies against the unusable hash used for unknown accounts', async () => {
    for (const p of ['', 'correct-horse-9', 'AAAAAAAA1']) expect(await hasher.verify(p, UNUSABLE_PASSWORD_HASH)).toBe(false);
  });

  it('derives PBKDF2-SHA256 over HMAC-SHA256(pepper, password) and accepts lower iteration counts of older hashes', async () => {
    const enc = new TextEncoder();
    const pepperKey = await crypto.subtle.importKey('raw', enc.encode('test-pepper'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const peppered = await crypto.subtle.sign('HMAC', pepperKey, enc.encode('older-pass-1'));
    const material = await crypto.subtle.importKey('raw', peppered, 'PBKDF2', false, ['deriveBits']);
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const key = new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 1000 }, material, 256));
    const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
    const older = `pbkdf2-sha256$1000$${b64(salt)}$${b64(key)}`;
    expect(await hasher.verify('older-pass-1', older)).toBe(true);
    expect(await hasher.verify('older-pass-2', older)).toBe(false);
    expect(await hasher.verify('older-pass-1', older.replace('$1000$', '$1001$'))).toBe(false);
  });

  it.each([
    ['salt and key', 'pbkdf2-sha256$1000$!!!!$!!!!'],
    ['salt', 'pbkdf2-sha256$1000$!!!!AAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
    ['key', 'pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$not base64 at all'],
    ['key (bad padding)', 'pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAA=A'],
  ])('returns false (and does not throw) for a stored hash whose %s is not base64', async (_, encoded) => {
    await expect(hasher.verify('anything-1', encoded)).resolves.toBe(false);
  });
});

describe('isStrongPassword', () => {
  it.each([
    ['abcdefg1', true],
    ['correct-horse-9', true],
    ['密码密码密码密码1', true],
    ['ÄÖÜäöüß1', true],
    [`a1${'x'.repeat(126)}`, true],
    ['abcdefgh', false],
    ['12345678', false],
    ['abc123', false],
    ['abcdef1', false],
    ['', false],
    ['        1', false],
    [`a1${'x'.repeat(127)}`, false],
  ])('%j → %s', (password, strong) => {
    expect(isStrongPassword(password)).toBe(strong);
  });
});
