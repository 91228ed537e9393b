import { route, type PluginResponse, type PluginRoute } from '@tuike/plugin-sdk';
import * as v from 'valibot';
import { liveOf, type Campaign } from './campaign-rows';
import { issuesOf } from './campaign-schema';
import { liveCampaigns } from './campaign-state';
import { campaignView, createCampaign, listCampaigns, listFilter, productTags, publicView, readCampaign, replaceCampaign, setCampaignStatus, type Outcome } from './campaigns';
import { errorResponse } from './errors';
import { cartProgress } from './progress';
import type { CampaignSettings } from './settings';

/**
 * Mounted by the platform under /api/plugins/campaigns. `staff` routes are the merchant's admin;
 * `public` ones the storefront (banners, product tags, the cart's progress hint — guests too).
 *
 * Bodies are declared `v.unknown()` and checked in the handler on purpose: a bad campaign or cart
 * then answers with this plugin's stable code (`CAMPAIGN_INVALID`, `CAMPAIGN_CART_INVALID`) and
 * the issues by field, rather than the platform's generic refusal. Query strings are checked here.
 */
const anyBody = v.unknown();

const answer = <T>(outcome: Outcome<T>, ok: (value: T) => PluginResponse): PluginResponse =>
  outcome.ok ? ok(outcome.value) : errorResponse(outcome.code, outcome.details);

const idParam = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const productQuery = v.object({ categoryId: v.optional(idParam) });

/** A cart as the storefront holds it. */
const cartInput = v.strictObject({
  lines: v.pipe(
    v.array(v.strictObject({
      lineId: idParam,
      skuId: v.optional(idParam, ''),
      productId: idParam,
      categoryId: v.optional(v.nullable(idParam), null),
      quantity: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(9999)),
      unitPrice: v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(100_000_000_00)),
    })),
    v.maxLength(200),
    v.check((lines) => new Set(lines.map((l) => l.lineId)).size === lines.length, 'line ids must not repeat'),
  ),
});

const adminRoutes: PluginRoute<CampaignSettings, unknown>[] = [
  route<CampaignSettings>({
    method: 'GET', path: '/admin/campaigns', auth: 'staff',
    async handler(req, ctx) {
      const filter = v.safeParse(listFilter, { ...req.query });
      if (!filter.success) return errorResponse('CAMPAIGN_QUERY_INVALID', { issues: issuesOf(filter.issues) });
      const now = ctx.now();
      return { body: { campaigns: (await listCampaigns(ctx.db, filter.output)).map((c) => campaignView(c, now)) } };
    },
  }),
  route<CampaignSettings, unknown>({
    method: 'POST', path: '/admin/campaigns', auth: 'staff', input: anyBody,
    handler: async (req, ctx) => answer(await createCampaign(ctx, req.body), (c) => ({ status: 201, body: { campaign: campaignView(c, ctx.now()) } })),
  }),
  route<CampaignSettings>({
    method: 'GET', path: '/admin/campaigns/:id', auth: 'staff',
    async handler(req, ctx) {
      const c = await readCampaign(ctx.db, req.params.id ?? '');
      return c ? { body: { campaign: campaignView(c, ctx.now()) } } : errorResponse('CAMPAIGN_NOT_FOUND');
    },
  }),
  route<CampaignSettings, unknown>({
    method: 'PUT', path: '/admin/campaigns/:id', auth: 'staff', input: anyBody,
    handler: async (req, ctx) => answer(await replaceCampaign(ctx, req.params.id ?? '', req.body), (c) => ({ body: { campaign: campaignView(c, ctx.now()) } })),
  }),
  route<CampaignSettings>({
    method: 'POST', path: '/admin/campaigns/:id/disable', auth: 'staff',
    handler: async (req, ctx) => answer(await setCampaignStatus(ctx, req.params.id ?? '', 'disabled'), (c) => ({ body: { campaign: campaignView(c, ctx.now()) } })),
  }),
  route<CampaignSettings>({
    method: 'POST', path: '/admin/campaigns/:id/enable', auth: 'staff',
    handler: async (req, ctx) => answer(await setCampaignStatus(ctx, req.params.id ?? '', 'active'), (c) => ({ body: { campaign: campaignView(c, ctx.now()) } })),
  }),
];

const storefrontRoutes: PluginRoute<CampaignSettings, unknown>[] = [
  route<CampaignSettings>({
    method: 'GET', path: '/active', auth: 'public',
    handler: async (_req, ctx) => ({ body: { campaigns: (await liveCampaigns(ctx.db, ctx.now())).map(publicView) } }),
  }),
  route<CampaignSettings>({
    method: 'GET', path: '/for-product/:productId', auth: 'public',
    async handler(req, ctx) {
      const productId = v.safeParse(idParam, req.params.productId);
      const query = v.safeParse(productQuery, { ...req.query });
      if (!productId.success || !query.success) return errorResponse('CAMPAIGN_QUERY_INVALID');
      const live: Campaign[] = await liveCampaigns(ctx.db, ctx.now());
      return { body: { tags: productTags(live, productId.output, query.output.categoryId ?? null) } };
    },
  }),
  route<CampaignSettings, unknown>({
    method: 'POST', path: '/progress', auth: 'public', input: anyBody,
    async handler(req, ctx) {
      const cart = v.safeParse(cartInput, req.body);
      if (!cart.success) return errorResponse('CAMPAIGN_CART_INVALID', { issues: issuesOf(cart.issues) });
      const now = ctx.now();
      const lines = cart.output.lines.map((l) => ({ ...l, skuId: l.skuId || l.lineId }));
      return { body: { progress: cartProgress((await liveCampaigns(ctx.db, now)).map(liveOf), lines, now) } };
    },
  }),
];

export const campaignRoutes: readonly PluginRoute<CampaignSettings, unknown>[] = [...adminRoutes, ...storefrontRoutes];
