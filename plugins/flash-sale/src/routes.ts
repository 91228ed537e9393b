import { route, type PluginRequest, type PluginResponse, type PluginRoute } from '@tuike/plugin-sdk';
import * as v from 'valibot';
import {
  activateActivity, activityStats, activityStatuses, activityView, createActivity, dashboardOverview, disableActivity, listActivities, readActivity, updateActivity,
  type Activity, type Outcome,
} from './activities';
import { activityPatchShape, activityShape, type ActivityBody, type ActivityPatchBody } from './activity-schema';
import { errorResponse } from './errors';
import type { FlashSaleSettings } from './settings';
import { listPublicActivities, memberAllowance, publicActivity } from './storefront';

/**
 * Mounted by the platform under /api/plugins/flash-sale. `staff` routes are the merchant's admin;
 * `public` and `member` ones the storefront. Bodies are checked for shape by each route's `input`
 * and for the rules by the handler (see activity-schema.ts); query strings are checked here.
 */

const answer = <T>(outcome: Outcome<T>, ok: (value: T) => PluginResponse): PluginResponse =>
  outcome.ok ? ok(outcome.value) : errorResponse(outcome.code, outcome.details);

const activityResponse = (status: number, now: () => number) => (a: Activity): PluginResponse => ({ status, body: { activity: activityView(a, now()) } });

const memberOf = (req: PluginRequest<unknown>) => req.member?.id ?? null;

const idParam = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const statusQuery = v.optional(v.picklist(activityStatuses));
const listQuery = v.strictObject({ productId: v.optional(idParam), skuId: v.optional(idParam) });

const adminRoutes: PluginRoute<FlashSaleSettings, unknown>[] = [
  route<FlashSaleSettings>({
    method: 'GET', path: '/admin/activities', auth: 'staff',
    async handler(req, ctx) {
      const status = v.safeParse(statusQuery, req.query.status);
      if (!status.success) return errorResponse('FLASH_SALE_QUERY_INVALID');
      const now = ctx.now();
      return { body: { serverTime: now, activities: (await listActivities(ctx.db, status.output ?? null)).map((a) => activityView(a, now)) } };
    },
  }),
  route<FlashSaleSettings, ActivityBody>({
    method: 'POST', path: '/admin/activities', auth: 'staff', input: activityShape,
    handler: async (req, ctx) => answer(await createActivity(ctx, req.body), activityResponse(201, ctx.now)),
  }),
  route<FlashSaleSettings>({
    method: 'GET', path: '/admin/activities/:id', auth: 'staff',
    async handler(req, ctx) {
      const a = await readActivity(ctx.db, req.params.id ?? '');
      if (!a) return errorResponse('FLASH_SALE_ACTIVITY_NOT_FOUND');
      return { body: { activity: activityView(a, ctx.now()), stats: { entries: await activityStats(ctx.db, a) } } };
    },
  }),
  route<FlashSaleSettings, ActivityPatchBody>({
    method: 'PATCH', path: '/admin/activities/:id', auth: 'staff', input: activityPatchShape,
    handler: async (req, ctx) => answer(await updateActivity(ctx, req.params.id ?? '', req.body), activityResponse(200, ctx.now)),
  }),
  route<FlashSaleSettings>({
    method: 'POST', path: '/admin/activities/:id/activate', auth: 'staff',
    handler: async (req, ctx) => answer(await activateActivity(ctx, req.params.id ?? ''), activityResponse(200, ctx.now)),
  }),
  route<FlashSaleSettings>({
    method: 'POST', path: '/admin/activities/:id/disable', auth: 'staff',
    handler: async (req, ctx) => answer(await disableActivity(ctx, req.params.id ?? ''), activityResponse(200, ctx.now)),
  }),
  route<FlashSaleSettings>({
    method: 'GET', path: '/admin/overview', auth: 'staff',
    handler: async (_req, ctx) => ({ body: await dashboardOverview(ctx.db, ctx.now()) }),
  }),
];

const storefrontRoutes: PluginRoute<FlashSaleSettings, unknown>[] = [
  route<FlashSaleSettings>({
    method: 'GET', path: '/activities', auth: 'public',
    async handler(req, ctx) {
      const filter = v.safeParse(listQuery, { ...req.query });
      if (!filter.success) return errorResponse('FLASH_SALE_QUERY_INVALID');
      return { body: await listPublicActivities(ctx.db, ctx.now(), ctx.settings.showUpcomingHours, filter.output) };
    },
  }),
  route<FlashSaleSettings>({
    method: 'GET', path: '/activities/:id', auth: 'public',
    async handler(req, ctx) {
      const found = await publicActivity(ctx.db, req.params.id ?? '', ctx.now());
      return found === null ? errorResponse('FLASH_SALE_ACTIVITY_NOT_FOUND') : { body: found };
    },
  }),
  route<FlashSaleSettings>({
    method: 'GET', path: '/activities/:id/mine', auth: 'member',
    async handler(req, ctx) {
      const member = memberOf(req);
      if (member === null) return errorResponse('FLASH_SALE_SIGN_IN_REQUIRED');
      const found = await memberAllowance(ctx.db, req.params.id ?? '', member, ctx.now());
      return found === null ? errorResponse('FLASH_SALE_ACTIVITY_NOT_FOUND') : { body: found };
    },
  }),
];

export const flashSaleRoutes: readonly PluginRoute<FlashSaleSettings, unknown>[] = [...adminRoutes, ...storefrontRoutes];
