import * as v from 'valibot';

/**
 * What a merchant submits for a campaign (POST and PUT alike). Money is integer fen, a discount's
 * rate the share off in basis points (8折 = 2000), times UTC epoch ms.
 *
 * Rules beyond the types: tiers ascend — each threshold above the one before and each reduction
 * larger — and every reduction is below its own threshold (满100减100 would make goods free);
 * `repeat` (每满X减Y) takes exactly one tier and a cap of at least one reduction; a discount takes
 * 1–9900 bps; a window ends after it starts and lasts at most 10 years; a scope of categories or
 * products names at least one id. Whether the window is already over is checked against the
 * clock when the campaign is saved (campaigns.ts).
 */
export const maxFen = 10_000_000_000; // ¥100,000,000
const maxEpochMs = 7_258_118_400_000; // 2200-01-01
const tenYearsMs = 3653 * 86_400_000;
export const maxTiers = 10;

const fen = (min: number) => v.pipe(v.number(), v.safeInteger('must be whole fen'), v.minValue(min), v.maxValue(maxFen));
const epochMs = v.pipe(v.number(), v.safeInteger('must be epoch milliseconds'), v.minValue(0), v.maxValue(maxEpochMs));
const whole = (min: number, max: number) => v.pipe(v.number(), v.safeInteger('must be a whole number'), v.minValue(min), v.maxValue(max));

const tier = v.pipe(
  v.strictObject({ threshold: fen(1), off: fen(1) }),
  v.check((t) => t.off < t.threshold, 'a reduction must be less than its threshold'),
);

const tiers = v.pipe(
  v.array(tier),
  v.minLength(1, 'give at least one tier'),
  v.maxLength(maxTiers, `give at most ${maxTiers} tiers`),
  v.check((list) => list.every((t, i) => i === 0 || t.threshold > list[i - 1]!.threshold), 'tiers must ascend: each threshold above the one before'),
  v.check((list) => list.every((t, i) => i === 0 || t.off > list[i - 1]!.off), 'tiers must ascend: each reduction larger than the one before'),
);

export const termsInput = v.pipe(
  v.variant('kind', [
    v.strictObject({
      kind: v.literal('tiered_reduction'),
      tiers,
      repeat: v.optional(v.nullable(v.strictObject({ maxOff: fen(1) })), null),
    }),
    v.strictObject({
      kind: v.literal('discount'),
      percentOffBps: v.pipe(v.number(), v.safeInteger('must be whole basis points'), v.minValue(1, 'must be at least 1 bps off'), v.maxValue(9900, 'must be at most 9900 bps off (0.1折)')),
    }),
    v.strictObject({
      kind: v.literal('gift'),
      threshold: fen(1),
      skuId: v.pipe(v.string(), v.trim(), v.nonEmpty('name the gift SKU'), v.maxLength(64)),
      quantity: v.optional(whole(1, 99), 1),
      giftName: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(20)), ''),
    }),
  ]),
  v.check((t) => t.kind !== 'tiered_reduction' || t.repeat === null || t.tiers.length === 1, 'repeat (每满) takes exactly one tier'),
  v.check((t) => t.kind !== 'tiered_reduction' || t.repeat === null || t.repeat.maxOff >= t.tiers[0]!.off, 'the repeat cap must be at least one reduction'),
);
export type TermsInput = v.InferOutput<typeof termsInput>;

const scopeIds = v.pipe(
  v.array(v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(64))),
  v.minLength(1, 'name at least one id'),
  v.maxLength(500),
  v.check((ids) => new Set(ids).size === ids.length, 'ids must not repeat'),
);

export const scopeInput = v.variant('type', [
  v.strictObject({ type: v.literal('all') }),
  v.strictObject({ type: v.literal('categories'), ids: scopeIds }),
  v.strictObject({ type: v.literal('products'), ids: scopeIds }),
]);

export const windowInput = v.pipe(
  v.strictObject({ startsAt: epochMs, endsAt: epochMs }),
  v.check((w) => w.endsAt > w.startsAt, 'the campaign must end after it starts'),
  v.check((w) => w.endsAt - w.startsAt <= tenYearsMs, 'a campaign can last at most 10 years'),
);

export const campaignInput = v.strictObject({
  name: v.pipe(v.string(), v.trim(), v.nonEmpty('a name is required'), v.maxLength(40)),
  description: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200)), ''),
  /** Higher wins: between campaigns here (which N apply) and in the shop's stacking. */
  priority: v.optional(whole(0, 1000), 0),
  window: windowInput,
  scope: scopeInput,
  terms: termsInput,
});
export type CampaignInput = v.InferOutput<typeof campaignInput>;

/** Issues as `{ path, message }`, for a 400 the admin form can place beside its fields. */
export function issuesOf(issues: readonly v.BaseIssue<unknown>[]): { path: string; message: string }[] {
  return issues.map((i) => ({ path: v.getDotPath(i) ?? '', message: i.message }));
}
