import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { AppError, isUniqueViolation, newId } from '@tuike/core';
import { notifications, orderLines, orders, reviews } from '@tuike/db-tenant';
import { plainText } from '@tuike/catalog';
import type { AppEnv } from '../context';
import { commitAudited } from '../http/audited';
import { imagePrefixOf } from '../http/files';
import { json } from '../http/json-body';
import { requireMember } from '../http/member-auth';
import { permit } from '../http/staff-auth';

const ReviewInput = v.strictObject({
  rating: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5)),
  text: v.pipe(v.string(), v.maxLength(1000)),
  images: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(200))), v.maxLength(9)), []),
});
const ReadInput = v.strictObject({ ids: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.maxLength(200))) });

const now = (c: Context<AppEnv>) => c.get('services').platform.clock.now();

/** Ratings summary and visible reviews of one product (C9). */
async function productReviews(c: Context<AppEnv>, productId: string) {
  const { orm } = c.get('shop');
  const visible = and(eq(reviews.productId, productId), eq(reviews.hidden, false));
  const [summary] = await orm.select({ count: sql<number>`count(*)`, average: sql<number | null>`round(avg(${reviews.rating}), 1)` }).from(reviews).where(visible);
  const items = await orm.select({ id: reviews.id, rating: reviews.rating, text: reviews.text, images: reviews.images, createdAt: reviews.createdAt })
    .from(reviews).where(visible).orderBy(desc(reviews.createdAt)).limit(50);
  return { count: Number(summary?.count ?? 0), average: summary?.average === null || summary?.average === undefined ? null : Number(summary.average), items };
}

async function markRead(c: Context<AppEnv>, kind: 'member' | 'staff', recipient: string | null, ids: string[] | undefined) {
  const { orm } = c.get('shop');
  const mine = and(eq(notifications.recipientKind, kind), recipient ? eq(notifications.recipientId, recipient) : isNull(notifications.recipientId), isNull(notifications.readAt));
  await orm.update(notifications).set({ readAt: now(c) }).where(ids ? and(mine, inArray(notifications.id, ids)) : mine);
}

async function listNotices(c: Context<AppEnv>, kind: 'member' | 'staff', recipient: string | null) {
  const { orm } = c.get('shop');
  const mine = and(eq(notifications.recipientKind, kind), recipient ? eq(notifications.recipientId, recipient) : isNull(notifications.recipientId));
  const [items, [unread]] = await Promise.all([
    orm.select().from(notifications).where(mine).orderBy(desc(notifications.createdAt)).limit(50),
    orm.select({ n: sql<number>`count(*)` }).from(notifications).where(and(mine, isNull(notifications.readAt))),
  ]);
  return { items, unread: Number(unread?.n ?? 0) };
}

/** Reviews by buyers of a completed line; the notification centre of each buyer. */
export const buyerReviewRoutes = new Hono<AppEnv>()
  .get('/catalog/products/:id/reviews', async (c) => c.json(await productReviews(c, c.req.param('id'))))
  .post('/orders/:orderId/lines/:lineId/review', requireMember, json(ReviewInput), async (c) => {
    const { orm, tenant } = c.get('shop');
    const input = c.req.valid('json');
    const [line] = await orm.select({ line: orderLines, status: orders.status }).from(orderLines).innerJoin(orders, eq(orders.id, orderLines.orderId))
      .where(and(eq(orderLines.id, c.req.param('lineId')), eq(orders.id, c.req.param('orderId')), eq(orders.memberId, c.get('member').id)));
    if (!line) throw new AppError('ORDER_NOT_FOUND');
    if (line.status !== 'completed') throw new AppError('ORDER_STATE');
    if (input.images.some((k) => !k.startsWith(imagePrefixOf(tenant)))) throw new AppError('IMAGE_NOT_FOUND');
    const review = { id: newId(), orderLineId: line.line.id, productId: line.line.productId, memberId: c.get('member').id, rating: input.rating, text: plainText(input.text), images: input.images, hidden: false, createdAt: now(c) };
    try {
      await orm.insert(reviews).values(review);
    } catch (e) {
      if (isUniqueViolation(e, 'reviews.order_line_id')) throw new AppError('ORDER_STATE', { reviewed: true });
      throw e;
    }
    return c.json({ review }, 201);
  })
  .get('/notifications', requireMember, async (c) => c.json(await listNotices(c, 'member', c.get('member').id)))
  .post('/notifications/read', requireMember, json(ReadInput), async (c) => {
    await markRead(c, 'member', c.get('member').id, c.req.valid('json').ids);
    return c.json({ ok: true });
  });

/** Staff: moderate reviews; the shop's notification centre (new paid orders, low stock). */
export const adminReviewRoutes = new Hono<AppEnv>()
  .get('/reviews', permit('products.view'), async (c) => c.json({ items: await c.get('shop').orm.select().from(reviews).orderBy(desc(reviews.createdAt)).limit(100) }))
  .post('/reviews/:id/visibility', permit('products.manage'), json(v.strictObject({ hidden: v.boolean() })), async (c) => {
    const { orm } = c.get('shop');
    const [before] = await orm.select().from(reviews).where(eq(reviews.id, c.req.param('id')));
    if (!before) throw new AppError('NOT_FOUND');
    const { hidden } = c.req.valid('json');
    await commitAudited(c, [orm.update(reviews).set({ hidden }).where(eq(reviews.id, before.id))], { entity: 'review', entityId: before.id, action: hidden ? 'hide' : 'show', before: { hidden: before.hidden }, after: { hidden } });
    return c.json({ ok: true });
  })
  .get('/notifications', permit('dashboard.view'), async (c) => c.json(await listNotices(c, 'staff', null)))
  .post('/notifications/read', permit('dashboard.view'), json(ReadInput), async (c) => {
    await markRead(c, 'staff', null, c.req.valid('json').ids);
    return c.json({ ok: true });
  });
