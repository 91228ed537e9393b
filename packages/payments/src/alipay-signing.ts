import { PaymentProviderError } from './errors';

/**
 * The canonical strings of the Alipay open platform (opendocs.alipay.com, 自行实现签名 /
 * 自行实现验签 / 异步通知验签), all signed with RSA2 = SHA256withRSA over UTF-8 bytes.
 */
export type Params = Record<string, string | undefined>;

/**
 * 待签名字符串: drop the excluded keys and empty values, sort by key in ASCII order, join as
 * `key=value` with `&`. Values are raw (not URL-encoded). For a request only `sign` is excluded
 * (sign_type is signed); for an async notify both `sign` and `sign_type` are.
 */
export function signContent(params: Params, exclude: readonly string[]): string {
  return Object.keys(params)
    .filter((k) => !exclude.includes(k) && params[k] !== undefined && params[k] !== '')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

/** The member a synchronous answer to `method` comes in: alipay.trade.refund → alipay_trade_refund_response. */
export const responseMember = (method: string) => `${method.replaceAll('.', '_')}_response`;

export const REQUEST_UNSIGNED = ['sign'] as const;
export const NOTIFY_UNSIGNED = ['sign', 'sign_type'] as const;

/**
 * A synchronous response is `{"<method with . → _>_response": {...}, "sign": "..."}` and the
 * signature covers the response member's JSON text exactly as sent — re-serialising a parsed
 * object would reorder keys or change escapes and break it. So cut the raw text out.
 */
export function rawTopLevelMember(raw: string, key: string): string | undefined {
  try {
    JSON.parse(raw); // the scanner below trusts the text to be well-formed JSON
  } catch {
    throw new PaymentProviderError('BAD_RESPONSE', 'Alipay response is not JSON');
  }
  let i = skipSpace(raw, 0);
  if (raw[i] !== '{') return undefined;
  i = skipSpace(raw, i + 1);
  while (raw[i] === '"') {
    const keyEnd = endOfString(raw, i);
    const name: unknown = JSON.parse(raw.slice(i, keyEnd));
    const valueStart = skipSpace(raw, skipSpace(raw, keyEnd) + 1); // past the ':'
    const valueEnd = endOfValue(raw, valueStart);
    if (name === key) return raw.slice(valueStart, valueEnd);
    i = skipSpace(raw, valueEnd);
    if (raw[i] === ',') i = skipSpace(raw, i + 1);
  }
  return undefined;
}

const skipSpace = (s: string, i: number) => {
  while (i < s.length && ' \t\n\r'.includes(s[i]!)) i++;
  return i;
};

function endOfString(s: string, i: number): number {
  for (i++; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i + 1;
  }
  return s.length;
}

function endOfValue(s: string, i: number): number {
  if (s[i] === '"') return endOfString(s, i);
  if (s[i] !== '{' && s[i] !== '[') {
    while (i < s.length && !',}] \t\n\r'.includes(s[i]!)) i++;
    return i;
  }
  let depth = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '"') {
      i = endOfString(s, i);
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    i++;
    if (depth === 0) return i;
  }
  return i;
}

/**
 * `timestamp` is "yyyy-MM-dd HH:mm:ss" in Beijing time (the gateway compares it with its own
 * clock in UTC+8; China has no daylight saving, so a fixed offset is exact).
 */
export function alipayTimestamp(ms: number): string {
  const d = new Date(ms + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}
