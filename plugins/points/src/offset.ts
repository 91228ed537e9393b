/**
 * Points ↔ money, exactly. A rate of `pointsPerYuan` points per ¥1 (100 fen) rarely divides a fen
 * into whole points (150 points per ¥1 is 1.5 points a fen), so points are spent in the smallest
 * block that buys a whole number of fen: `pointsPerYuan / g` points buy `100 / g` fen, g being
 * their greatest common divisor (100 per ¥1: 1 point = 1 fen; 150 per ¥1: 3 points = 2 fen;
 * 7 per ¥1: 7 points = ¥1). So the points charged are always exactly the points that buy the
 * amount — never a fractional fen, never a point that buys nothing.
 */
export interface OffsetRule {
  pointsPerYuan: number;
  maxOffsetBps: number;
}

export interface Offset {
  points: number;
  amount: number;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** The smallest block of points that buys whole fen, and the fen it buys. */
export function offsetBlock(pointsPerYuan: number): Offset {
  const g = gcd(pointsPerYuan, 100);
  return { points: pointsPerYuan / g, amount: 100 / g };
}

/** ⌊a × b / c⌋ for whole a, b ≥ 0 and c > 0, exact past 2^53 too. */
export function mulDivFloor(a: number, b: number, c: number): number {
  const product = a * b;
  if (Number.isSafeInteger(product)) return Math.floor(product / c);
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

/** The most the points may take off these items: the shop's share of the items total, floored. */
export function offsetCap(itemsTotal: number, maxOffsetBps: number): number {
  return mulDivFloor(itemsTotal, maxOffsetBps, 10_000);
}

/**
 * The largest offset with at most `points` points on items worth `itemsTotal`: whole blocks,
 * within the cap. `{ points: 0, amount: 0 }` when not even one block fits.
 */
export function offsetFor(points: number, itemsTotal: number, rule: OffsetRule): Offset {
  const block = offsetBlock(rule.pointsPerYuan);
  const blocks = Math.max(0, Math.min(Math.floor(points / block.points), Math.floor(offsetCap(itemsTotal, rule.maxOffsetBps) / block.amount)));
  return { points: blocks * block.points, amount: blocks * block.amount };
}

/** Points an order earns: ⌊paid fen × points per ¥1 / 100⌋ (the event handlers do the same in SQL). */
export function earnedFor(itemsPaid: number, earnPointsPerYuan: number): number {
  return mulDivFloor(itemsPaid, earnPointsPerYuan, 100);
}
