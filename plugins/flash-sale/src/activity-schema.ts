import * as v from 'valibot';

/**
 * What a merchant submits for a flash sale, in two layers. The route's `input` (the shape) only
 * checks types, so the platform turns a malformed body into its generic 400; the rules below are
 * checked by the handler, so a wrong value — an end before the start, zero stock, a price of 0 —
 * answers with this plugin's own code (`FLASH_SALE_ACTIVITY_INVALID`) and the path of each issue.
 *
 * Money is integer fen; times are UTC epoch ms. A flash price is at least 1 fen (a free item is a
 * gift, not a flash sale); whether it is below the SKU's list price is the merchant's call — a
 * flash price at or above the list price simply gives no discount. Stock and the per-member limit
 * are whole units, at least 1; the limit counts per SKU entry (per member, per SKU, per sale).
 */
export const maxFen = 10_000_000_000; // ¥100,000,000
const maxEpochMs = 7_258_118_400_000; // 2200-01-01
/** A flash sale lasts at most a year; longer is a price change, not a flash sale. */
export const maxWindowMs = 366 * 86_400_000;
export const maxEntries = 100;

const textShape = v.string();
const numberShape = v.number();

const entryShape = v.strictObject({
  skuId: textShape,
  productId: textShape,
  flashPrice: numberShape,
  stock: numberShape,
  limitPerMember: v.optional(numberShape),
});

/** POST /admin/activities, as the platform checks it. */
export const activityShape = v.strictObject({
  name: textShape,
  startsAt: numberShape,
  endsAt: numberShape,
  status: v.optional(v.picklist(['draft', 'active'] as const)),
  entries: v.array(entryShape),
});
export type ActivityBody = v.InferOutput<typeof activityShape>;

/** PATCH /admin/activities/:id: any subset; `entries`, when given, is the whole new list. */
export const activityPatchShape = v.strictObject({
  name: v.optional(textShape),
  startsAt: v.optional(numberShape),
  endsAt: v.optional(numberShape),
  entries: v.optional(v.array(entryShape)),
});
export type ActivityPatchBody = v.InferOutput<typeof activityPatchShape>;

const id = v.pipe(v.string(), v.trim(), v.nonEmpty('an id is required'), v.maxLength(64));
const epochMs = v.pipe(v.number(), v.safeInteger('must be epoch milliseconds'), v.minValue(0), v.maxValue(maxEpochMs));
const whole = (min: number, max: number, what: string) =>
  v.pipe(v.number(), v.safeInteger(`must be whole ${what}`), v.minValue(min, `must be at least ${min}`), v.maxValue(max, `must be at most ${max}`));

const entryRules = v.strictObject({
  skuId: id,
  productId: id,
  flashPrice: whole(1, maxFen, 'fen'),
  stock: whole(1, 1_000_000, 'units'),
  limitPerMember: v.optional(whole(1, 999, 'units'), 1),
});

export const activityRules = v.pipe(
  v.strictObject({
    name: v.pipe(v.string(), v.trim(), v.nonEmpty('a name is required'), v.maxLength(40)),
    startsAt: epochMs,
    endsAt: epochMs,
    status: v.optional(v.picklist(['draft', 'active'] as const), 'active'),
    entries: v.pipe(
      v.array(entryRules),
      v.minLength(1, 'a flash sale needs at least one SKU'),
      v.maxLength(maxEntries, `at most ${maxEntries} SKUs per flash sale`),
      v.check((list) => new Set(list.map((e) => e.skuId)).size === list.length, 'a SKU appears once per flash sale'),
    ),
  }),
  v.forward(v.check((a) => a.endsAt > a.startsAt, 'the sale must end after it starts'), ['endsAt']),
  v.forward(v.check((a) => a.endsAt - a.startsAt <= maxWindowMs, 'a flash sale lasts at most 366 days'), ['endsAt']),
);
export type ActivityInput = v.InferOutput<typeof activityRules>;
export type EntryInput = ActivityInput['entries'][number];

/** Issues as `{ path, message }`, for a 400 the admin form can place beside its fields. */
export function issuesOf(issues: readonly v.BaseIssue<unknown>[]): { path: string; message: string }[] {
  return issues.map((i) => ({ path: v.getDotPath(i) ?? '', message: i.message }));
}
