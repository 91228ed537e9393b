import { decodeBase64, encodeBase64 } from '@oslojs/encoding';

/**
 * SHA256withRSA (RSASSA-PKCS1-v1_5) on WebCrypto, so the same code signs in Node and in
 * Cloudflare workerd. WeChat calls it "SHA256 with RSA", Alipay "RSA2"; it is one algorithm.
 */
const RSA_SHA256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const encoder = new TextEncoder();

// AlgorithmIdentifier { rsaEncryption, NULL }: the only thing PKCS#8/SPKI add around a PKCS#1 key.
const RSA_ALGORITHM_ID = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

function der(tag: number, content: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array([tag, ...derLength(content.length), ...content]);
}

function concat(...parts: ArrayLike<number>[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING pkcs1 } */
const pkcs1ToPkcs8 = (pkcs1: Uint8Array) => der(0x30, concat([0x02, 0x01, 0x00], RSA_ALGORITHM_ID, der(0x04, pkcs1)));
/** SubjectPublicKeyInfo { rsaEncryption, BIT STRING (0 unused bits) pkcs1 } */
const pkcs1ToSpki = (pkcs1: Uint8Array) => der(0x30, concat(RSA_ALGORITHM_ID, der(0x03, concat([0x00], pkcs1))));

/** Skips a DER tag and length, returning the offset of the content. */
function contentOffset(bytes: Uint8Array, at: number): number {
  const first = bytes[at + 1] ?? 0;
  return at + 2 + (first & 0x80 ? first & 0x7f : 0);
}

/**
 * A bare base64 key (as Alipay's console shows them) has no label, so tell PKCS#8 from PKCS#1
 * by shape: both open SEQUENCE, INTEGER 0; PKCS#8 continues with a SEQUENCE (the algorithm),
 * PKCS#1 with an INTEGER (the modulus).
 */
function isPkcs8(der: Uint8Array): boolean {
  const version = contentOffset(der, 0); // INTEGER 0 is always the three bytes 02 01 00
  return der[version + 3] === 0x30;
}

function readPem(pem: string): { label: string | null; der: Uint8Array<ArrayBuffer> } {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(pem);
  const body = (m ? m[2]! : pem).replace(/\s+/g, '');
  try {
    return { label: m ? m[1]! : null, der: new Uint8Array(decodeBase64(body)) };
  } catch {
    throw new TypeError('key is neither PEM nor base64 DER');
  }
}

/** PKCS#8 DER of a private key given as PKCS#8 PEM, PKCS#1 PEM or bare base64 of either. */
function privateKeyPkcs8(pem: string): Uint8Array<ArrayBuffer> {
  const { label, der: bytes } = readPem(pem);
  if (label !== null && label !== 'PRIVATE KEY' && label !== 'RSA PRIVATE KEY') throw new TypeError(`expected an RSA private key, got a ${label}`);
  return label === 'RSA PRIVATE KEY' || (label === null && !isPkcs8(bytes)) ? pkcs1ToPkcs8(bytes) : bytes;
}

/** Merchant/app private key: PKCS#8 PEM (WeChat's apiclient_key.pem), PKCS#1 PEM or bare base64. */
export async function importPrivateKey(pem: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('pkcs8', privateKeyPkcs8(pem), RSA_SHA256, false, ['sign']);
}

/**
 * Platform/Alipay public key: SPKI PEM, PKCS#1 PEM or bare base64 SPKI. An X.509 certificate is
 * refused rather than parsed: extract its key once at configuration time
 * (`openssl x509 -in cert.pem -pubkey -noout`).
 */
export async function importPublicKey(pem: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('spki', publicKeySpki(pem), RSA_SHA256, false, ['verify']);
}

function publicKeySpki(pem: string): Uint8Array<ArrayBuffer> {
  const { label, der: bytes } = readPem(pem);
  if (label === 'CERTIFICATE') throw new TypeError('pass the public key (SPKI PEM), not the certificate');
  if (label !== null && label !== 'PUBLIC KEY' && label !== 'RSA PUBLIC KEY') throw new TypeError(`expected an RSA public key, got a ${label}`);
  return label === 'RSA PUBLIC KEY' ? pkcs1ToSpki(bytes) : bytes;
}

/** base64(SHA256withRSA(key, UTF-8 bytes of message)) */
export async function signBase64(key: CryptoKey, message: string): Promise<string> {
  return encodeBase64(new Uint8Array(await crypto.subtle.sign(RSA_SHA256, key, encoder.encode(message))));
}

/** False (never a throw) for a malformed signature, so callers have one failure path. */
export async function verifyBase64(key: CryptoKey, message: string, signature: string): Promise<boolean> {
  let sig: Uint8Array<ArrayBuffer>;
  try {
    sig = new Uint8Array(decodeBase64(signature));
  } catch {
    return false;
  }
  return crypto.subtle.verify(RSA_SHA256, key, sig, encoder.encode(message));
}

/**
 * RSAES-OAEP as WeChat Pay's 敏感信息加密 uses it (RSA/ECB/OAEPWithSHA-1AndMGF1Padding): SHA-1
 * for both the label hash and MGF1, empty label. The same RSA key (an SPKI of rsaEncryption) serves
 * signature verification and encryption; WebCrypto only needs it imported once per algorithm.
 */
const RSA_OAEP_SHA1 = { name: 'RSA-OAEP', hash: 'SHA-1' } as const;

/** A platform public key (SPKI PEM, PKCS#1 PEM or bare base64 SPKI) for encrypting sensitive fields. */
export function importOaepPublicKey(pem: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('spki', publicKeySpki(pem), RSA_OAEP_SHA1, false, ['encrypt']);
}

/** The matching private key: only the stand-ins (playing WeChat) decrypt. */
export function importOaepPrivateKey(pem: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('pkcs8', privateKeyPkcs8(pem), RSA_OAEP_SHA1, false, ['decrypt']);
}

/** base64(RSA-OAEP(UTF-8 bytes)); randomised, so the same name never encrypts to the same text twice. */
export async function oaepEncryptBase64(key: CryptoKey, plaintext: string): Promise<string> {
  return encodeBase64(new Uint8Array(await crypto.subtle.encrypt(RSA_OAEP_SHA1, key, encoder.encode(plaintext))));
}

export async function oaepDecryptBase64(key: CryptoKey, ciphertext: string): Promise<string> {
  const plain = await crypto.subtle.decrypt(RSA_OAEP_SHA1, key, new Uint8Array(decodeBase64(ciphertext)));
  return new TextDecoder('utf-8', { fatal: true }).decode(plain);
}
