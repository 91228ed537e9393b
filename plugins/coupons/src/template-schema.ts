import * as v from 'valibot';

/**
 * What a merchant submits for a coupon template. Money is integer fen; the percent coupon's rate
 * is the share off in basis points, 100–9900 (1 %–99 % off): 8.5折 = 1500. Times are UTC epoch ms.
 *
 * Rules beyond the types: a fixed or threshold coupon takes off more than 0 and, when it has a
 * threshold, no more than the threshold; a threshold coupon's threshold is above 0; thresholds
 * are never negative; a percent coupon's cap (`maxDiscount`) is null for no cap, else at least
 * 1 fen (a cap of 0 would make the coupon worth nothing); an absolute validity ends after it starts and lasts at most 10 years; claiming closes no later
 * than an absolute validity ends. Whether the window is still ahead is checked against the clock
 * when the template is saved (see templates.ts).
 */
export const maxFen = 10_000_000_000; // ¥100,000,000
const maxEpochMs = 7_258_118_400_000; // 2200-01-01
const tenYearsMs = 3653 * 86_400_000;

const fen = (min: number) => v.pipe(v.number(), v.safeInteger('must be whole fen'), v.minValue(min), v.maxValue(maxFen));
const epochMs = v.pipe(v.number(), v.safeInteger('must be epoch milliseconds'), v.minValue(0), v.maxValue(maxEpochMs));
const count = (min: number, max: number) => v.pipe(v.number(), v.safeInteger('must be a whole number'), v.minValue(min), v.maxValue(max));

export const termsInput = v.pipe(
  v.variant('kind', [
    v.strictObject({ kind: v.literal('fixed'), amountOff: fen(1), threshold: v.optional(fen(0), 0) }),
    v.strictObject({ kind: v.literal('threshold'), amountOff: fen(1), threshold: fen(1) }),
    v.strictObject({
      kind: v.literal('percent'),
      percentOffBps: v.pipe(v.number(), v.safeInteger('must be whole basis points'), v.minValue(100, 'must be at least 100 bps (1 % off, 9.9折)'), v.maxValue(9900, 'must be at most 9900 bps (99 % off, 0.1折)')),
      maxDiscount: v.optional(v.nullable(fen(1)), null),
      threshold: v.optional(fen(0), 0),
    }),
  ]),
  v.check((t) => t.kind === 'percent' || t.threshold === 0 || t.amountOff <= t.threshold, 'the amount off cannot exceed the threshold'),
);

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

export const validityInput = v.pipe(
  v.variant('type', [
    v.strictObject({ type: v.literal('absolute'), startsAt: epochMs, endsAt: epochMs }),
    v.strictObject({ type: v.literal('relative'), days: count(1, 3650) }),
  ]),
  v.check((w) => w.type === 'relative' || w.endsAt > w.startsAt, 'the validity must end after it starts'),
  v.check((w) => w.type === 'relative' || w.endsAt - w.startsAt <= tenYearsMs, 'the validity can last at most 10 years'),
);

export const claimWindowInput = v.pipe(
  v.strictObject({ startsAt: v.nullable(epochMs), endsAt: v.nullable(epochMs) }),
  v.check((w) => w.startsAt === null || w.endsAt === null || w.endsAt > w.startsAt, 'claiming must end after it starts'),
);

const name = v.pipe(v.string(), v.trim(), v.nonEmpty('a name is required'), v.maxLength(40));
const description = v.pipe(v.string(), v.trim(), v.maxLength(200));
const quantity = count(1, 10_000_000);
const perMemberLimit = count(1, 100);

export const templateInput = v.pipe(
  v.strictObject({
    name,
    description: v.optional(description, ''),
    terms: termsInput,
    scope: scopeInput,
    validity: validityInput,
    quantity,
    perMemberLimit: v.optional(perMemberLimit, 1),
    claimWindow: v.optional(claimWindowInput, { startsAt: null, endsAt: null }),
  }),
  v.forward(
    v.check((t) => t.validity.type === 'relative' || t.claimWindow.endsAt === null || t.claimWindow.endsAt <= t.validity.endsAt, 'claiming must close by the time the coupons expire'),
    ['claimWindow'],
  ),
);
export type TemplateInput = v.InferOutput<typeof templateInput>;

/** A change to a template: any subset. Terms, scope and validity only while none is claimed. */
export const templatePatch = v.strictObject({
  name: v.optional(name),
  description: v.optional(description),
  terms: v.optional(termsInput),
  scope: v.optional(scopeInput),
  validity: v.optional(validityInput),
  quantity: v.optional(quantity),
  perMemberLimit: v.optional(perMemberLimit),
  claimWindow: v.optional(claimWindowInput),
});
export type TemplatePatch = v.InferOutput<typeof templatePatch>;

/** Issues as `{ path, message }`, for a 400 the admin form can place beside its fields. */
export function issuesOf(issues: readonly v.BaseIssue<unknown>[]): { path: string; message: string }[] {
  return issues.map((i) => ({ path: v.getDotPath(i) ?? '', message: i.message }));
}
