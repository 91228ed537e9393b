import type { JsonValue, PluginContext, PluginDb, SqlRowValue } from '@tuike/plugin-sdk';
import * as v from 'valibot';
import { describeTerms, type Bilingual, type CouponTerms } from './coupon-terms';
import type { CouponErrorCode } from './errors';
import { newId } from './ids';
import { int, intOrNull, oneOf, text } from './rows';
import type { CouponSettings } from './settings';
import { issuesOf, templateInput, type TemplateInput, type TemplatePatch } from './template-schema';
import { termsOf } from './template-rows';

/** The merchant's side: coupon templates and what became of the coupons issued from them. */
export type Template = TemplateInput & {
  id: string;
  status: 'active' | 'disabled';
  issued: number;
  createdAt: number;
  updatedAt: number;
};

export type Outcome<T> = { ok: true; value: T } | { ok: false; code: CouponErrorCode; details?: JsonValue };
const refuse = <T>(code: CouponErrorCode, details?: JsonValue): Outcome<T> => (details === undefined ? { ok: false, code } : { ok: false, code, details });

type Row = Readonly<Record<string, SqlRowValue>>;

export const templateColumns = (alias = '') => {
  const p = alias ? `${alias}.` : '';
  return ['id', 'name', 'description', 'kind', 'amount_off', 'percent_off_bps', 'max_discount', 'threshold', 'scope', 'scope_ids', 'validity', 'valid_from', 'valid_until', 'valid_days', 'claim_starts_at', 'claim_ends_at', 'quantity', 'issued', 'per_member_limit', 'status', 'created_at', 'updated_at']
    .map((c) => p + c)
    .join(', ');
};

function required(value: number | null, column: string): number {
  if (value === null) throw new TypeError(`column ${column} is null where the schema requires it`);
  return value;
}

/** The stored terms in the shape the admin submits them. */
function termsInputOf(t: CouponTerms): TemplateInput['terms'] {
  if (t.kind === 'percent') return { kind: 'percent', percentOffBps: required(t.percentOffBps, 'percent_off_bps'), maxDiscount: t.maxDiscount, threshold: t.threshold };
  return { kind: t.kind, amountOff: required(t.amountOff, 'amount_off'), threshold: t.threshold };
}

export function couponTermsOf(input: Pick<TemplateInput, 'terms' | 'scope'>): CouponTerms {
  const t = input.terms;
  return {
    kind: t.kind,
    amountOff: t.kind === 'percent' ? null : t.amountOff,
    percentOffBps: t.kind === 'percent' ? t.percentOffBps : null,
    maxDiscount: t.kind === 'percent' ? t.maxDiscount : null,
    threshold: t.threshold,
    scope: input.scope.type,
    scopeIds: input.scope.type === 'all' ? [] : input.scope.ids,
  };
}

export function templateOf(row: Row): Template {
  const terms = termsOf(row);
  const validity = oneOf(row, 'validity', ['absolute', 'relative'] as const);
  return {
    id: text(row, 'id'),
    name: text(row, 'name'),
    description: text(row, 'description'),
    terms: termsInputOf(terms),
    scope: terms.scope === 'all' ? { type: 'all' } : { type: terms.scope, ids: [...terms.scopeIds] },
    validity: validity === 'absolute'
      ? { type: 'absolute', startsAt: int(row, 'valid_from'), endsAt: int(row, 'valid_until') }
      : { type: 'relative', days: int(row, 'valid_days') },
    quantity: int(row, 'quantity'),
    perMemberLimit: int(row, 'per_member_limit'),
    claimWindow: { startsAt: intOrNull(row, 'claim_starts_at'), endsAt: intOrNull(row, 'claim_ends_at') },
    status: oneOf(row, 'status', ['active', 'disabled'] as const),
    issued: int(row, 'issued'),
    createdAt: int(row, 'created_at'),
    updatedAt: int(row, 'updated_at'),
  };
}

/** The part of a template the merchant edits. */
function inputOf(t: Template): TemplateInput {
  return { name: t.name, description: t.description, terms: t.terms, scope: t.scope, validity: t.validity, quantity: t.quantity, perMemberLimit: t.perMemberLimit, claimWindow: t.claimWindow };
}

/** A template as JSON, with what is left to claim and its terms in words. */
export function templateView(t: Template): JsonValue {
  const summary: Bilingual = describeTerms(couponTermsOf(t));
  return { ...t, remaining: t.quantity - t.issued, summary };
}

/** The columns a template's input sets (terms, scope and validity are its "terms" in the broad sense). */
function columnsOf(t: TemplateInput) {
  const terms = couponTermsOf(t);
  const termColumns = {
    kind: terms.kind,
    amount_off: terms.amountOff,
    percent_off_bps: terms.percentOffBps,
    max_discount: terms.maxDiscount,
    threshold: terms.threshold,
    scope: terms.scope,
    scope_ids: JSON.stringify(terms.scopeIds),
    validity: t.validity.type,
    valid_from: t.validity.type === 'absolute' ? t.validity.startsAt : null,
    valid_until: t.validity.type === 'absolute' ? t.validity.endsAt : null,
    valid_days: t.validity.type === 'relative' ? t.validity.days : null,
  };
  const other = {
    name: t.name,
    description: t.description,
    claim_starts_at: t.claimWindow.startsAt,
    claim_ends_at: t.claimWindow.endsAt,
    quantity: t.quantity,
    per_member_limit: t.perMemberLimit,
  };
  return { termColumns, other };
}

/** Checks that need the clock: a window already over when saved is a mistake. */
function clockProblems(t: TemplateInput, now: number, check: { validity: boolean; claimWindow: boolean }): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (check.validity && t.validity.type === 'absolute' && t.validity.endsAt <= now) problems.push({ path: 'validity.endsAt', message: 'the validity has already ended' });
  if (check.claimWindow && t.claimWindow.endsAt !== null && t.claimWindow.endsAt <= now) problems.push({ path: 'claimWindow.endsAt', message: 'claiming has already ended' });
  return problems;
}

export async function readTemplate(db: PluginDb, id: string): Promise<Template | null> {
  const r = await db.execute(`SELECT ${templateColumns()} FROM plg_coupons_templates WHERE id = ?`, [id]);
  return r.rows[0] ? templateOf(r.rows[0]) : null;
}

export async function createTemplate(ctx: PluginContext<CouponSettings>, input: TemplateInput): Promise<Outcome<Template>> {
  const now = ctx.now();
  const problems = clockProblems(input, now, { validity: true, claimWindow: true });
  if (problems.length) return refuse('COUPON_TEMPLATE_INVALID', { issues: problems });
  const { termColumns, other } = columnsOf(input);
  const columns = { id: newId(now), ...termColumns, ...other, status: 'active', created_at: now, updated_at: now };
  const names = Object.keys(columns);
  await ctx.db.execute(`INSERT INTO plg_coupons_templates (${names.join(', ')}) VALUES (${names.map((n) => `:${n}`).join(', ')})`, columns);
  const created = await readTemplate(ctx.db, columns.id);
  if (!created) throw new Error('a template just inserted cannot be read back');
  return { ok: true, value: created };
}

const constraintFailed = (e: unknown) => e instanceof Error && /constraint/i.test(`${String((e as { code?: unknown }).code ?? '')} ${e.message}`);
export { constraintFailed };

/**
 * Applies a patch. Terms, scope and validity may change only while nothing has been claimed —
 * guarded in the UPDATE itself, so a claim racing the edit cannot end up on changed terms.
 */
export async function updateTemplate(ctx: PluginContext<CouponSettings>, id: string, patch: TemplatePatch): Promise<Outcome<Template>> {
  const now = ctx.now();
  const current = await readTemplate(ctx.db, id);
  if (!current) return refuse('COUPON_TEMPLATE_NOT_FOUND');
  const currentInput = inputOf(current);
  const merged = v.safeParse(templateInput, { ...currentInput, ...Object.fromEntries(Object.entries(patch).filter(([, x]) => x !== undefined)) });
  if (!merged.success) return refuse('COUPON_TEMPLATE_INVALID', { issues: issuesOf(merged.issues) });
  const next = merged.output;
  const before = columnsOf(currentInput);
  const after = columnsOf(next);
  const termsChanged = JSON.stringify(before.termColumns) !== JSON.stringify(after.termColumns);
  if (termsChanged && current.issued > 0) return refuse('COUPON_TERMS_LOCKED');
  if (next.quantity < current.issued) return refuse('COUPON_QUANTITY_BELOW_ISSUED', { issued: current.issued });
  const problems = clockProblems(next, now, { validity: termsChanged, claimWindow: JSON.stringify(next.claimWindow) !== JSON.stringify(current.claimWindow) });
  if (problems.length) return refuse('COUPON_TEMPLATE_INVALID', { issues: problems });

  const set = termsChanged ? { ...after.termColumns, ...after.other } : after.other;
  const assignments = Object.keys(set).map((c) => `${c} = :${c}`).join(', ');
  let changed: number;
  try {
    const r = await ctx.db.execute(
      `UPDATE plg_coupons_templates SET ${assignments}, updated_at = :now WHERE id = :id${termsChanged ? ' AND issued = 0' : ''}`,
      { ...set, now, id },
    );
    changed = r.rowsAffected;
  } catch (e) {
    if (!constraintFailed(e)) throw e;
    changed = 0;
  }
  const saved = await readTemplate(ctx.db, id);
  if (!saved) return refuse('COUPON_TEMPLATE_NOT_FOUND');
  if (changed === 1) return { ok: true, value: saved };
  // Claims landed between the read and the write: say which rule they tripped.
  if (saved.issued > next.quantity) return refuse('COUPON_QUANTITY_BELOW_ISSUED', { issued: saved.issued });
  if (termsChanged && saved.issued > 0) return refuse('COUPON_TERMS_LOCKED');
  return refuse('COUPON_TEMPLATE_CHANGED');
}

export async function setTemplateStatus(ctx: PluginContext<CouponSettings>, id: string, status: Template['status']): Promise<Outcome<Template>> {
  await ctx.db.execute('UPDATE plg_coupons_templates SET status = :status, updated_at = :now WHERE id = :id AND status <> :status', { status, now: ctx.now(), id });
  const t = await readTemplate(ctx.db, id);
  return t ? { ok: true, value: t } : refuse('COUPON_TEMPLATE_NOT_FOUND');
}

export async function listTemplates(db: PluginDb, status: Template['status'] | null): Promise<Template[]> {
  const r = status === null
    ? await db.execute(`SELECT ${templateColumns()} FROM plg_coupons_templates ORDER BY created_at DESC, id DESC LIMIT 200`)
    : await db.execute(`SELECT ${templateColumns()} FROM plg_coupons_templates WHERE status = ? ORDER BY created_at DESC, id DESC LIMIT 200`, [status]);
  return r.rows.map(templateOf);
}

export type TemplateStats = {
  issued: number;
  remaining: number;
  available: number;
  locked: number;
  used: number;
  expired: number;
  /** Paid orders that used one, not given back. */
  redeemed: number;
  /** What those orders saved, in fen. */
  discountTotal: number;
  /** Redemptions given back after a full refund. */
  returned: number;
  /** Orders priced with one of these coupons while another order held it. */
  conflicts: number;
};

/** Issue statistics of one template: what became of the coupons claimed from it. */
export async function templateStats(db: PluginDb, t: Template, now: number): Promise<TemplateStats> {
  const [coupons, redemptions, conflicts] = await Promise.all([
    db.execute(`SELECT
        coalesce(sum(status = 'available' AND expires_at > :now), 0) AS available,
        coalesce(sum(status = 'locked'), 0) AS locked,
        coalesce(sum(status = 'used'), 0) AS used,
        coalesce(sum(status = 'expired' OR (status = 'available' AND expires_at <= :now)), 0) AS expired
      FROM plg_coupons_member_coupons WHERE template_id = :t`, { t: t.id, now }),
    db.execute(`SELECT coalesce(sum(returned_at IS NULL), 0) AS redeemed,
        coalesce(sum(CASE WHEN returned_at IS NULL THEN amount ELSE 0 END), 0) AS discount_total,
        coalesce(sum(returned_at IS NOT NULL), 0) AS returned
      FROM plg_coupons_redemptions WHERE template_id = ?`, [t.id]),
    db.execute(`SELECT count(*) AS n FROM plg_coupons_orders o JOIN plg_coupons_member_coupons mc ON mc.id = o.member_coupon_id
      WHERE mc.template_id = ? AND o.conflict_at IS NOT NULL`, [t.id]),
  ]);
  const c = coupons.rows[0]!;
  const r = redemptions.rows[0]!;
  return {
    issued: t.issued,
    remaining: t.quantity - t.issued,
    available: int(c, 'available'),
    locked: int(c, 'locked'),
    used: int(c, 'used'),
    expired: int(c, 'expired'),
    redeemed: int(r, 'redeemed'),
    discountTotal: int(r, 'discount_total'),
    returned: int(r, 'returned'),
    conflicts: int(conflicts.rows[0]!, 'n'),
  };
}
