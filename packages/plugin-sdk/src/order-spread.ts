/**
 * Spreads an order-level amount over lines in proportion to what each still has to pay: every
 * line gets the floor of its share, and the fen left over go to the largest line (ties: the one
 * first in the cart), then the next largest, never past what a line has left. The shares add up
 * to the amount exactly, so each line knows what the buyer paid for it — the base of commission
 * and of proportional refunds.
 *
 * `remaining[i]` must be whole fen ≥ 0 and `amount` at most their sum.
 */
export function spreadProportionally(amount: number, remaining: readonly number[]): number[] {
  const base = remaining.reduce((a, b) => a + b, 0);
  if (amount < 0 || amount > base || !Number.isSafeInteger(amount)) throw new RangeError(`cannot spread ${amount} over ${base}`);
  if (amount === 0) return remaining.map(() => 0);
  const shares = remaining.map((r) => floorShare(amount, r, base));
  let left = amount - shares.reduce((a, b) => a + b, 0);
  const byLargest = remaining.map((r, i) => ({ r, i })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { r, i } of byLargest) {
    if (left === 0) break;
    const give = Math.min(left, r - shares[i]!);
    shares[i] = shares[i]! + give;
    left -= give;
  }
  return shares;
}

/** ⌊amount × part / whole⌋, exact: below 2^53 a double quotient floors right; above, BigInt. */
function floorShare(amount: number, part: number, whole: number): number {
  const product = amount * part;
  if (Number.isSafeInteger(product)) return Math.floor(product / whole);
  return Number((BigInt(amount) * BigInt(part)) / BigInt(whole));
}
