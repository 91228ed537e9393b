import { encodeBase64, decodeBase64 } from '@oslojs/encoding';
import { constantTimeEqual } from '@oslojs/crypto/subtle';

/**
 * PBKDF2-HMAC-SHA256 through WebCrypto: the one strong KDF that is native in both Node and workerd
 * (scrypt/argon2 in JavaScript would burn the Worker's CPU budget). workerd refuses more than
 * 100,000 iterations, so we take exactly that and add a server-side pepper (HMAC key held outside
 * the database): a stolen database alone cannot be brute-forced offline. The encoded hash names
 * its algorithm and parameters, so a stronger scheme can be rolled in on next login.
 */
export const PBKDF2_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const KEY_BITS = 256;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, encoded: string): Promise<boolean>;
}

export function createPasswordHasher(pepper: string): PasswordHasher {
  const encoder = new TextEncoder();
  const pepperKey = crypto.subtle.importKey('raw', encoder.encode(pepper), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);

  async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
    const peppered = await crypto.subtle.sign('HMAC', await pepperKey, encoder.encode(password.normalize('NFKC')));
    const material = await crypto.subtle.importKey('raw', peppered, 'PBKDF2', false, ['deriveBits']);
    const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, material, KEY_BITS);
    return new Uint8Array(bits);
  }

  return {
    async hash(password) {
      const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
      const key = await derive(password, salt, PBKDF2_ITERATIONS);
      return `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${encodeBase64(salt)}$${encodeBase64(key)}`;
    },
    async verify(password, encoded) {
      const [scheme, iterations, salt, key] = encoded.split('$');
      if (scheme !== 'pbkdf2-sha256' || !iterations || !salt || !key) return false;
      const rounds = Number(iterations);
      if (!Number.isInteger(rounds) || rounds < 1 || rounds > PBKDF2_ITERATIONS) return false;
      try {
        const derived = await derive(password, new Uint8Array(decodeBase64(salt)), rounds);
        return constantTimeEqual(derived, decodeBase64(key));
      } catch {
        return false; // a stored hash that is not valid base64 verifies nothing
      }
    },
  };
}

/** At least 8 characters with a letter and a digit; at most 128 so hashing cost stays bounded. */
export function isStrongPassword(password: string): boolean {
  return password.length >= 8 && password.length <= 128 && /\p{L}/u.test(password) && /\d/.test(password);
}

/** Verified against when an account is unknown, so timing does not reveal which accounts exist. */
export const UNUSABLE_PASSWORD_HASH = 'pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
