import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { sha256 } from '@oslojs/crypto/sha2';

/**
 * The Lucia session model: the client holds a random token; the database holds only its SHA-256,
 * so a leaked sessions table cannot be replayed. 20 random bytes = 160 bits of entropy.
 */
export function generateSessionToken(): string {
  return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)));
}

export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** A session used in its last 15 days is extended to a full 30 again (sliding expiry). */
export const SESSION_RENEW_WITHIN_MS = 15 * 24 * 60 * 60 * 1000;
