import type { JsonValue, PluginContext, PluginDb } from '@tuike/plugin-sdk';
import * as v from 'valibot';
import { campaignColumns, campaignOf, columnsOf, scopeFrom, termsFrom, type Campaign } from './campaign-rows';
import { campaignInput, issuesOf, type CampaignInput } from './campaign-schema';
import { describeTerms, inScope, type Bilingual } from './campaign-terms';
import type { CampaignErrorCode } from './errors';
import { newId } from './ids';
import type { CampaignSettings } from './settings';

/** The merchant's side: campaigns created, edited, switched off; and what the storefront lists. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; code: CampaignErrorCode; details?: JsonValue };
const refuse = <T>(code: CampaignErrorCode, details?: JsonValue): Outcome<T> => (details === undefined ? { ok: false, code } : { ok: false, code, details });

/** Where a campaign stands at `now`: what the admin list shows beside it. */
export type Phase = 'scheduled' | 'running' | 'ended' | 'disabled';
export function phaseOf(c: Campaign, now: number): Phase {
  if (c.status === 'disabled') return 'disabled';
  if (now < c.window.startsAt) return 'scheduled';
  return now < c.window.endsAt ? 'running' : 'ended';
}

export function campaignView(c: Campaign, now: number): JsonValue {
  const summary: Bilingual = describeTerms(termsFrom(c.terms));
  return { ...c, phase: phaseOf(c, now), summary };
}

/** What the storefront may show of a live campaign: no status or bookkeeping. */
export function publicView(c: Campaign): JsonValue {
  const summary: Bilingual = describeTerms(termsFrom(c.terms));
  return { id: c.id, name: c.name, description: c.description, kind: c.terms.kind, priority: c.priority, startsAt: c.window.startsAt, endsAt: c.window.endsAt, scope: c.scope, terms: c.terms, summary };
}

export async function readCampaign(db: PluginDb, id: string): Promise<Campaign | null> {
  const r = await db.execute(`SELECT ${campaignColumns} FROM plg_campaigns_campaigns WHERE id = ?`, [id]);
  return r.rows[0] ? campaignOf(r.rows[0]) : null;
}

/** A body checked here rather than by the route's `input`, so a bad one answers with this plugin's code and the issues by field. */
export function parseCampaign(body: unknown): Outcome<CampaignInput> {
  const parsed = v.safeParse(campaignInput, body);
  return parsed.success ? { ok: true, value: parsed.output } : refuse('CAMPAIGN_INVALID', { issues: issuesOf(parsed.issues) });
}

/** A window already over when saved is a mistake, not a campaign. */
function endedProblem(input: CampaignInput, now: number): Outcome<never> | null {
  return input.window.endsAt <= now ? refuse('CAMPAIGN_INVALID', { issues: [{ path: 'window.endsAt', message: 'the campaign has already ended' }] }) : null;
}

export async function createCampaign(ctx: PluginContext<CampaignSettings>, body: unknown): Promise<Outcome<Campaign>> {
  const parsed = parseCampaign(body);
  if (!parsed.ok) return parsed;
  const now = ctx.now();
  const ended = endedProblem(parsed.value, now);
  if (ended) return ended;
  const columns = { id: newId(now), ...columnsOf(parsed.value), status: 'active', created_at: now, updated_at: now };
  const names = Object.keys(columns);
  await ctx.db.execute(`INSERT INTO plg_campaigns_campaigns (${names.join(', ')}) VALUES (${names.map((n) => `:${n}`).join(', ')})`, columns);
  const created = await readCampaign(ctx.db, columns.id);
  if (!created) throw new Error('a campaign just inserted cannot be read back');
  return { ok: true, value: created };
}

/** PUT: the whole campaign replaced in one statement; its status stays as it was. */
export async function replaceCampaign(ctx: PluginContext<CampaignSettings>, id: string, body: unknown): Promise<Outcome<Campaign>> {
  const parsed = parseCampaign(body);
  if (!parsed.ok) return parsed;
  const current = await readCampaign(ctx.db, id);
  if (!current) return refuse('CAMPAIGN_NOT_FOUND');
  const now = ctx.now();
  const windowChanged = current.window.startsAt !== parsed.value.window.startsAt || current.window.endsAt !== parsed.value.window.endsAt;
  // Renaming an ended campaign is fine; moving its window into the past is not.
  const ended = windowChanged ? endedProblem(parsed.value, now) : null;
  if (ended) return ended;
  const set = columnsOf(parsed.value);
  const assignments = Object.keys(set).map((c) => `${c} = :${c}`).join(', ');
  const r = await ctx.db.execute(`UPDATE plg_campaigns_campaigns SET ${assignments}, updated_at = :now WHERE id = :id`, { ...set, now, id });
  if (r.rowsAffected !== 1) return refuse('CAMPAIGN_NOT_FOUND');
  const saved = await readCampaign(ctx.db, id);
  return saved ? { ok: true, value: saved } : refuse('CAMPAIGN_NOT_FOUND');
}

export async function setCampaignStatus(ctx: PluginContext<CampaignSettings>, id: string, status: Campaign['status']): Promise<Outcome<Campaign>> {
  await ctx.db.execute('UPDATE plg_campaigns_campaigns SET status = :status, updated_at = :now WHERE id = :id AND status <> :status', { status, now: ctx.now(), id });
  const c = await readCampaign(ctx.db, id);
  return c ? { ok: true, value: c } : refuse('CAMPAIGN_NOT_FOUND');
}

export const listFilter = v.strictObject({
  status: v.optional(v.picklist(['active', 'disabled'] as const)),
  kind: v.optional(v.picklist(['tiered_reduction', 'discount', 'gift'] as const)),
});

export async function listCampaigns(db: PluginDb, filter: v.InferOutput<typeof listFilter>): Promise<Campaign[]> {
  const r = await db.execute(
    `SELECT ${campaignColumns} FROM plg_campaigns_campaigns
      WHERE (:status IS NULL OR status = :status) AND (:kind IS NULL OR kind = :kind)
      ORDER BY created_at DESC, id DESC LIMIT 200`,
    { status: filter.status ?? null, kind: filter.kind ?? null },
  );
  return r.rows.map(campaignOf);
}

/** The tags a product page shows below the price: every live campaign covering the product. */
export function productTags(campaigns: readonly Campaign[], productId: string, categoryId: string | null): JsonValue[] {
  return campaigns
    .filter((c) => inScope(scopeFrom(c.scope), { productId, categoryId }))
    .map((c) => ({ campaignId: c.id, name: c.name, kind: c.terms.kind, tag: describeTerms(termsFrom(c.terms)), endsAt: c.window.endsAt }));
}
