import { decodeBase64, encodeBase64 } from '@oslojs/encoding';
import { PaymentSignatureError } from './errors';

/**
 * AEAD_AES_256_GCM as WeChat Pay uses it for notify resources (证书和回调报文解密): key = the
 * 32-byte APIv3 key, IV = the 12-character `nonce` string's bytes, AAD = `associated_data`
 * (may be empty), `ciphertext` = base64(ciphertext ‖ 16-byte tag) — exactly the layout WebCrypto's
 * AES-GCM takes and returns, so no slicing is needed.
 */
const encoder = new TextEncoder();

export function apiV3KeyBytes(apiV3Key: string): Uint8Array<ArrayBuffer> {
  const bytes = encoder.encode(apiV3Key);
  if (bytes.length !== 32) throw new TypeError(`the APIv3 key must be 32 bytes, got ${bytes.length}`);
  return bytes;
}

const importAesKey = (key: Uint8Array<ArrayBuffer>, usage: 'encrypt' | 'decrypt') => crypto.subtle.importKey('raw', key, 'AES-GCM', false, [usage]);

export interface EncryptedResource {
  ciphertext: string;
  nonce: string;
  associated_data?: string;
}

export async function decryptResource(key: Uint8Array<ArrayBuffer>, r: EncryptedResource): Promise<string> {
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: encoder.encode(r.nonce), additionalData: encoder.encode(r.associated_data ?? ''), tagLength: 128 },
      await importAesKey(key, 'decrypt'),
      new Uint8Array(decodeBase64(r.ciphertext)),
    );
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch {
    // A tag that does not verify means the resource was altered or encrypted with another key.
    throw new PaymentSignatureError('resource ciphertext does not decrypt (GCM tag mismatch)');
  }
}

/** The inverse, for the stand-ins that play WeChat in tests. */
export async function encryptResource(key: Uint8Array<ArrayBuffer>, plaintext: string, nonce: string, associatedData: string): Promise<string> {
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: encoder.encode(nonce), additionalData: encoder.encode(associatedData), tagLength: 128 },
    await importAesKey(key, 'encrypt'),
    encoder.encode(plaintext),
  );
  return encodeBase64(new Uint8Array(sealed));
}
