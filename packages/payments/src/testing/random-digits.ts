/** n random decimal digits, for the provider-side ids the stand-ins mint (transaction_id, order_id …). */
export const randomDigits = (n: number) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => String(b % 10)).join('');
