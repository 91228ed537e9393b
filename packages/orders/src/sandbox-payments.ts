import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeHexLowerCase, decodeHex } from '@oslojs/encoding';

/**
 * The sandbox provider (C4): the default for local use and tests. Its "pay" page posts the
 * buyer's choice; the server then issues a notify signed with the shop's sandbox key
 * (HMAC-SHA256 over the canonical fields) and handles it through the same path a real provider's
 * notify takes — signature check, amount check, idempotency by external id.
 */
export interface SandboxNotify {
  intentId: string;
  externalId: string;
  amount: number;
  outcome: 'paid' | 'failed';
  timestamp: number;
}

const encoder = new TextEncoder();
const canonical = (n: SandboxNotify) => [n.intentId, n.externalId, n.amount, n.outcome, n.timestamp].join('\n');

/** One key per shop, derived from the platform secret: a signature for shop A is void at shop B. */
export const sandboxKey = (platformSecret: string, tenantId: string) => hmac(SHA256, encoder.encode(platformSecret), encoder.encode(`sandbox:${tenantId}`));

export const signSandboxNotify = (key: Uint8Array, n: SandboxNotify) => encodeHexLowerCase(hmac(SHA256, key, encoder.encode(canonical(n))));

export function verifySandboxNotify(key: Uint8Array, n: SandboxNotify, signature: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(signature)) return false;
  return constantTimeEqual(decodeHex(signature), hmac(SHA256, key, encoder.encode(canonical(n))));
}
