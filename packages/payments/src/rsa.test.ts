import { constants, createSign, generateKeyPairSync, privateDecrypt, publicEncrypt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importOaepPrivateKey, importOaepPublicKey, importPrivateKey, importPublicKey, oaepDecryptBase64, oaepEncryptBase64, signBase64, verifyBase64 } from './rsa';

// node:crypto only to produce the key encodings merchants actually hold; the code under test is WebCrypto.
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const spki = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const spkiPkcs1 = publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const bare = (pem: string) => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

describe('RSA keys and SHA256withRSA', () => {
  it.each([
    ['PKCS#8 PEM', pkcs8],
    ['PKCS#1 PEM (BEGIN RSA PRIVATE KEY)', pkcs1],
    ['bare base64 PKCS#8', bare(pkcs8)],
    ['bare base64 PKCS#1 (Alipay key tool, non-Java)', bare(pkcs1)],
  ])('signs with a %s private key, verifiable by the public key', async (_name, pem) => {
    const signature = await signBase64(await importPrivateKey(pem), 'hello 你好\n');
    expect(await verifyBase64(await importPublicKey(spki), 'hello 你好\n', signature)).toBe(true);
    expect(await verifyBase64(await importPublicKey(spki), 'hello 你好', signature)).toBe(false);
  });

  it('reads public keys as SPKI PEM, PKCS#1 PEM or bare base64', async () => {
    const signature = await signBase64(await importPrivateKey(pkcs8), 'm');
    for (const pem of [spki, spkiPkcs1, bare(spki)]) expect(await verifyBase64(await importPublicKey(pem), 'm', signature)).toBe(true);
  });

  it('produces the same signature bytes as OpenSSL (PKCS#1 v1.5 is deterministic)', async () => {
    const expected = createSign('RSA-SHA256').update('GET\n/v3/certificates\n1554208460\nNONCE\n\n').sign(pkcs8, 'base64');
    expect(await signBase64(await importPrivateKey(pkcs8), 'GET\n/v3/certificates\n1554208460\nNONCE\n\n')).toBe(expected);
  });

  it('treats a malformed signature as not verifying rather than throwing', async () => {
    expect(await verifyBase64(await importPublicKey(spki), 'm', '%%%not base64')).toBe(false);
  });

  it('refuses a certificate where a public key belongs, saying what to pass', async () => {
    await expect(importPublicKey('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')).rejects.toThrow(/not the certificate/);
  });
});

describe('RSA-OAEP (SHA-1, MGF1-SHA-1) for WeChat Pay sensitive fields', () => {
  it('encrypts so OpenSSL decrypts with OAEPWithSHA-1AndMGF1Padding, the scheme WeChat documents', async () => {
    const ciphertext = await oaepEncryptBase64(await importOaepPublicKey(spki), '张三');
    const plain = privateDecrypt({ key: pkcs8, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(ciphertext, 'base64'));
    expect(plain.toString('utf8')).toBe('张三');
    expect(() => privateDecrypt({ key: pkcs8, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(ciphertext, 'base64'))).toThrow();
  });

  it('decrypts what OpenSSL encrypts, and never gives the same ciphertext twice', async () => {
    const fromOpenSsl = publicEncrypt({ key: spki, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from('李四', 'utf8')).toString('base64');
    expect(await oaepDecryptBase64(await importOaepPrivateKey(pkcs1), fromOpenSsl)).toBe('李四');
    const key = await importOaepPublicKey(spkiPkcs1);
    expect(await oaepEncryptBase64(key, '王五')).not.toBe(await oaepEncryptBase64(key, '王五'));
  });
});
