import { NOTIFY_UNSIGNED, alipayTimestamp, signContent } from '../alipay-signing';
import { importPrivateKey, signBase64 } from '../rsa';

/**
 * Builds the form POST Alipay sends to notify_url (异步通知): the trade parameters plus the
 * notify envelope, signed RSA2 with the Alipay private key over every parameter except `sign`
 * and `sign_type`, sorted.
 */
export async function buildAlipayNotify(
  alipayPrivateKeyPem: string,
  trade: Record<string, string>,
): Promise<{ headers: Record<string, string>; body: string; params: Record<string, string> }> {
  const params: Record<string, string> = {
    notify_time: alipayTimestamp(Date.now()),
    notify_type: 'trade_status_sync',
    notify_id: crypto.randomUUID().replaceAll('-', ''),
    charset: 'utf-8',
    version: '1.0',
    sign_type: 'RSA2',
    ...trade,
  };
  params.sign = await signBase64(await importPrivateKey(alipayPrivateKeyPem), signContent(params, NOTIFY_UNSIGNED));
  return { headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: new URLSearchParams(params).toString(), params };
}
