import { encodeBase64 } from '@oslojs/encoding';

/** RSA 2048 keys made per test run, so no key material is ever committed. */
export interface RsaKeyPair {
  /** PKCS#8 PEM, as WeChat's apiclient_key.pem */
  privateKeyPem: string;
  /** SPKI PEM */
  publicKeyPem: string;
}

export function toPem(label: string, der: ArrayBuffer): string {
  const b64 = encodeBase64(new Uint8Array(der));
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

export async function generateRsaKeyPair(): Promise<RsaKeyPair> {
  const pair = await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  );
  return {
    privateKeyPem: toPem('PRIVATE KEY', await crypto.subtle.exportKey('pkcs8', pair.privateKey)),
    publicKeyPem: toPem('PUBLIC KEY', await crypto.subtle.exportKey('spki', pair.publicKey)),
  };
}
