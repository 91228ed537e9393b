import { route, type PluginResponse, type PluginRoute } from '@tuike/plugin-sdk';
import * as v from 'valibot';
import { adjustInput, adjustPoints, ledgerPage, orderPoints, pageQuery, readAccount, rulesView, type AdjustInput } from './accounts';
import { errorResponse, type Outcome } from './errors';
import { cancelRedemption, createGoods, fulfilRedemption, goodsCatalogue, goodsInput, goodsUpdate, goodsView, listGoods, memberRedemptions, redeemGoods, redemptionsByStatus, redemptionStatuses, updateGoods, type GoodsInput, type GoodsUpdate } from './goods';
import type { PointsSettings } from './settings';

/**
 * Mounted by the platform under /api/plugins/points. `staff` routes are the merchant's admin;
 * `public` and `member` ones the storefront. Bodies are checked by each route's `input` schema
 * before the handler runs; query strings are checked here.
 */

const answer = <T>(outcome: Outcome<T>, ok: (value: T) => PluginResponse): PluginResponse =>
  outcome.ok ? ok(outcome.value) : errorResponse(outcome.code, outcome.details);

const staffNote = v.strictObject({ note: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(200))), null) });
type StaffNote = v.InferOutput<typeof staffNote>;
const redemptionStatusQuery = v.optional(v.picklist(redemptionStatuses), 'pending_fulfilment');

const adminRoutes: PluginRoute<PointsSettings, unknown>[] = [
  route<PointsSettings>({
    method: 'GET', path: '/admin/goods', auth: 'staff',
    handler: async (_req, ctx) => ({ body: { goods: (await listGoods(ctx.db)).map(goodsView) } }),
  }),
  route<PointsSettings, GoodsInput>({
    method: 'POST', path: '/admin/goods', auth: 'staff', input: goodsInput,
    handler: async (req, ctx) => ({ status: 201, body: { goods: goodsView(await createGoods(ctx, req.body)) } }),
  }),
  route<PointsSettings, GoodsUpdate>({
    method: 'PUT', path: '/admin/goods/:id', auth: 'staff', input: goodsUpdate,
    handler: async (req, ctx) => answer(await updateGoods(ctx, req.params.id ?? '', req.body), (g) => ({ body: { goods: goodsView(g) } })),
  }),
  route<PointsSettings>({
    method: 'GET', path: '/admin/redemptions', auth: 'staff',
    async handler(req, ctx) {
      const status = v.safeParse(redemptionStatusQuery, req.query.status);
      if (!status.success) return errorResponse('POINTS_QUERY_INVALID');
      return { body: { status: status.output, redemptions: await redemptionsByStatus(ctx.db, status.output) } };
    },
  }),
  route<PointsSettings, StaffNote>({
    method: 'POST', path: '/admin/redemptions/:id/fulfil', auth: 'staff', input: staffNote,
    handler: async (req, ctx) => answer(await fulfilRedemption(ctx, req.params.id ?? '', req.body.note), (redemption) => ({ body: { redemption } })),
  }),
  route<PointsSettings, StaffNote>({
    method: 'POST', path: '/admin/redemptions/:id/cancel', auth: 'staff', input: staffNote,
    handler: async (req, ctx) => answer(await cancelRedemption(ctx, req.params.id ?? '', req.body.note), (redemption) => ({ body: { redemption } })),
  }),
  route<PointsSettings, AdjustInput>({
    method: 'POST', path: '/admin/adjust', auth: 'staff', input: adjustInput,
    handler: async (req, ctx) => answer(await adjustPoints(ctx, req.staff?.id ?? 'staff', req.body), (r) => ({ status: r.replayed ? 200 : 201, body: r })),
  }),
  route<PointsSettings>({
    method: 'GET', path: '/admin/members/:id', auth: 'staff',
    async handler(req, ctx) {
      const page = v.safeParse(pageQuery, { ...req.query });
      if (!page.success) return errorResponse('POINTS_QUERY_INVALID');
      const memberId = req.params.id ?? '';
      const ledger = await ledgerPage(ctx.db, memberId, page.output);
      return { body: { account: await readAccount(ctx.db, memberId), ...ledger, redemptions: await memberRedemptions(ctx.db, memberId) } };
    },
  }),
  route<PointsSettings>({
    method: 'GET', path: '/admin/orders/:orderId', auth: 'staff',
    handler: async (req, ctx) => ({ body: await orderPoints(ctx.db, req.params.orderId ?? '') }),
  }),
];

const storefrontRoutes: PluginRoute<PointsSettings, unknown>[] = [
  route<PointsSettings>({
    method: 'GET', path: '/rules', auth: 'public',
    handler: async (_req, ctx) => ({ body: { rules: rulesView(ctx.settings) } }),
  }),
  route<PointsSettings>({
    method: 'GET', path: '/goods', auth: 'public',
    handler: async (req, ctx) => ({ body: { goods: await goodsCatalogue(ctx.db, req.member?.id ?? null) } }),
  }),
  route<PointsSettings>({
    method: 'GET', path: '/me', auth: 'member',
    async handler(req, ctx) {
      if (!req.member) return errorResponse('POINTS_SIGN_IN_REQUIRED');
      const page = v.safeParse(pageQuery, { ...req.query });
      if (!page.success) return errorResponse('POINTS_QUERY_INVALID');
      const ledger = await ledgerPage(ctx.db, req.member.id, page.output);
      return { body: { account: await readAccount(ctx.db, req.member.id), rules: rulesView(ctx.settings), ...ledger } };
    },
  }),
  route<PointsSettings>({
    method: 'GET', path: '/me/redemptions', auth: 'member',
    async handler(req, ctx) {
      if (!req.member) return errorResponse('POINTS_SIGN_IN_REQUIRED');
      return { body: { redemptions: await memberRedemptions(ctx.db, req.member.id) } };
    },
  }),
  route<PointsSettings>({
    method: 'POST', path: '/goods/:id/redeem', auth: 'member',
    async handler(req, ctx) {
      if (!req.member) return errorResponse('POINTS_SIGN_IN_REQUIRED');
      return answer(await redeemGoods(ctx, req.params.id ?? '', req.member.id), (redemption) => ({ status: 201, body: { redemption } }));
    },
  }),
];

export const pointsRoutes: readonly PluginRoute<PointsSettings, unknown>[] = [...adminRoutes, ...storefrontRoutes];
