import { route, type PluginRequest, type PluginResponse, type PluginRoute } from '@tuike/plugin-sdk';
import * as v from 'valibot';
import { claimCentre, claimCoupon, claimedBy, couponsForCart, memberStatuses, myCoupons, orderCoupon, publicTemplateView } from './claims';
import { errorResponse } from './errors';
import type { CouponSettings } from './settings';
import { templateInput, templatePatch, type TemplateInput, type TemplatePatch } from './template-schema';
import { createTemplate, listTemplates, readTemplate, setTemplateStatus, templateStats, templateView, updateTemplate, type Outcome, type Template } from './templates';

/**
 * Mounted by the platform under /api/plugins/coupons. `staff` routes are the merchant's admin;
 * `public` and `member` ones the storefront. Bodies are checked by each route's `input` schema
 * before the handler runs; query strings are checked here.
 */

const answer = <T>(outcome: Outcome<T>, ok: (value: T) => PluginResponse): PluginResponse =>
  outcome.ok ? ok(outcome.value) : errorResponse(outcome.code, outcome.details);

const templateResponse = (status: number) => (t: Template): PluginResponse => ({ status, body: { template: templateView(t) } });

function memberOf(req: PluginRequest<unknown>): string | null {
  return req.member?.id ?? null;
}

const idParam = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const templateStatusQuery = v.optional(v.picklist(['active', 'disabled'] as const));
const mineQuery = v.optional(v.picklist(memberStatuses), 'available');
const coveringQuery = v.strictObject({ productId: v.optional(idParam), categoryId: v.optional(idParam) });

/** A cart as the storefront holds it, for the checkout picker. */
const cartInput = v.strictObject({
  lines: v.pipe(
    v.array(v.strictObject({
      lineId: idParam,
      skuId: v.optional(idParam, ''),
      productId: idParam,
      categoryId: v.nullable(idParam),
      quantity: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(9999)),
      unitPrice: v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(100_000_000_00)),
    })),
    v.maxLength(200),
    v.check((lines) => new Set(lines.map((l) => l.lineId)).size === lines.length, 'line ids must not repeat'),
  ),
});
type CartInput = v.InferOutput<typeof cartInput>;

const adminRoutes: PluginRoute<CouponSettings, unknown>[] = [
  route<CouponSettings>({
    method: 'GET', path: '/admin/templates', auth: 'staff',
    async handler(req, ctx) {
      const status = v.safeParse(templateStatusQuery, req.query.status);
      if (!status.success) return errorResponse('COUPON_QUERY_INVALID');
      const list = await listTemplates(ctx.db, status.output ?? null);
      return { body: { templates: list.map(templateView) } };
    },
  }),
  route<CouponSettings, TemplateInput>({
    method: 'POST', path: '/admin/templates', auth: 'staff', input: templateInput,
    handler: async (req, ctx) => answer(await createTemplate(ctx, req.body), templateResponse(201)),
  }),
  route<CouponSettings>({
    method: 'GET', path: '/admin/templates/:id', auth: 'staff',
    async handler(req, ctx) {
      const t = await readTemplate(ctx.db, req.params.id ?? '');
      if (!t) return errorResponse('COUPON_TEMPLATE_NOT_FOUND');
      return { body: { template: templateView(t), stats: await templateStats(ctx.db, t, ctx.now()) } };
    },
  }),
  route<CouponSettings, TemplatePatch>({
    method: 'PATCH', path: '/admin/templates/:id', auth: 'staff', input: templatePatch,
    handler: async (req, ctx) => answer(await updateTemplate(ctx, req.params.id ?? '', req.body), templateResponse(200)),
  }),
  route<CouponSettings>({
    method: 'POST', path: '/admin/templates/:id/disable', auth: 'staff',
    handler: async (req, ctx) => answer(await setTemplateStatus(ctx, req.params.id ?? '', 'disabled'), templateResponse(200)),
  }),
  route<CouponSettings>({
    method: 'POST', path: '/admin/templates/:id/enable', auth: 'staff',
    handler: async (req, ctx) => answer(await setTemplateStatus(ctx, req.params.id ?? '', 'active'), templateResponse(200)),
  }),
  route<CouponSettings>({
    method: 'GET', path: '/admin/orders/:orderId', auth: 'staff',
    handler: async (req, ctx) => ({ body: { coupon: await orderCoupon(ctx.db, req.params.orderId ?? '') } }),
  }),
];

const storefrontRoutes: PluginRoute<CouponSettings, unknown>[] = [
  route<CouponSettings>({
    method: 'GET', path: '/claim-centre', auth: 'public',
    async handler(req, ctx) {
      const covering = v.safeParse(coveringQuery, { ...req.query });
      if (!covering.success) return errorResponse('COUPON_QUERY_INVALID');
      // Hidden by the merchant: coupons stay claimable from shared links, the centre lists none.
      if (!ctx.settings.showClaimCentre) return { body: { visible: false, templates: [] } };
      const { productId, categoryId } = covering.output;
      const filter = productId === undefined ? null : { productId, categoryId: categoryId ?? null };
      return { body: { visible: true, templates: await claimCentre(ctx.db, memberOf(req), ctx.now(), filter) } };
    },
  }),
  route<CouponSettings>({
    method: 'GET', path: '/templates/:id', auth: 'public',
    async handler(req, ctx) {
      const t = await readTemplate(ctx.db, req.params.id ?? '');
      if (!t) return errorResponse('COUPON_TEMPLATE_NOT_FOUND');
      const member = memberOf(req);
      const claimed = member === null ? null : await claimedBy(ctx.db, t.id, member);
      return { body: { template: publicTemplateView(t, claimed, ctx.now()) } };
    },
  }),
  route<CouponSettings>({
    method: 'POST', path: '/templates/:id/claim', auth: 'member',
    async handler(req, ctx) {
      const member = memberOf(req);
      if (member === null) return errorResponse('COUPON_SIGN_IN_REQUIRED');
      return answer(await claimCoupon(ctx, req.params.id ?? '', member), (coupon) => ({ status: 201, body: { coupon } }));
    },
  }),
  route<CouponSettings>({
    method: 'GET', path: '/mine', auth: 'member',
    async handler(req, ctx) {
      const member = memberOf(req);
      if (member === null) return errorResponse('COUPON_SIGN_IN_REQUIRED');
      const status = v.safeParse(mineQuery, req.query.status);
      if (!status.success) return errorResponse('COUPON_QUERY_INVALID');
      const mine = await myCoupons(ctx.db, member, status.output, ctx.now());
      return { body: { status: status.output, ...mine } };
    },
  }),
  route<CouponSettings, CartInput>({
    method: 'POST', path: '/usable', auth: 'member', input: cartInput,
    async handler(req, ctx) {
      const member = memberOf(req);
      if (member === null) return errorResponse('COUPON_SIGN_IN_REQUIRED');
      return { body: await couponsForCart(ctx.db, member, req.body.lines, ctx.now()) };
    },
  }),
];

export const couponRoutes: readonly PluginRoute<CouponSettings, unknown>[] = [...adminRoutes, ...storefrontRoutes];
