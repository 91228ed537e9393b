import { orderCancelledEvent } from '../plugins/order-events';
import { Hono, type Context } from 'hono';
import { stream } from 'hono/streaming';
import * as v from 'valibot';
import { and, desc, eq, gte, inArray, like, lt, type SQL } from 'drizzle-orm';
import { AppError } from '@tuike/core';
import { memberChannels, orderLines, orders, orderStatuses, paymentIntents, settings, shipments } from '@tuike/db-tenant';
import { csvCell, releaseUnpaid, shipFromCsv, shipOrder } from '@tuike/orders';
import { releasedCommissionStatements } from '@tuike/distribution';
import type { AppEnv } from '../context';
import { auditStatement, commitAudited } from '../http/audited';
import { json, query } from '../http/json-body';
import { permit } from '../http/staff-auth';
import { StatusList } from './catalog-fields';

const Millis = v.pipe(v.string(), v.regex(/^\d{1,15}$/), v.transform(Number));
const OrderFilter = v.object({
  status: v.optional(StatusList(orderStatuses)),
  channel: v.optional(v.picklist(memberChannels)),
  from: v.optional(Millis),
  to: v.optional(Millis),
  q: v.optional(v.pipe(v.string(), v.regex(/^\d{1,32}$/))),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(64))),
});
const ShipInput = v.strictObject({
  carrier: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(20)),
  trackingNo: v.pipe(v.string(), v.trim(), v.regex(/^[A-Za-z0-9-]{4,40}$/)),
});
const MAX_CSV_BYTES = 1024 * 1024;

function filters(f: v.InferOutput<typeof OrderFilter>): SQL[] {
  const where: SQL[] = [];
  if (f.status) where.push(inArray(orders.status, f.status));
  if (f.channel) where.push(eq(orders.channel, f.channel));
  if (f.from !== undefined) where.push(gte(orders.createdAt, f.from));
  if (f.to !== undefined) where.push(lt(orders.createdAt, f.to));
  if (f.q) where.push(like(orders.orderNo, `${f.q}%`));
  return where;
}

const now = (c: Context<AppEnv>) => c.get('services').platform.clock.now();

async function findOrder(c: Context<AppEnv>, id: string) {
  const [order] = await c.get('shop').orm.select().from(orders).where(eq(orders.id, id));
  if (!order) throw new AppError('ORDER_NOT_FOUND');
  return order;
}

const EXPORT_COLUMNS = ['订单号', '状态', '渠道', '下单时间', '支付时间', '商品', '数量', '商品金额', '优惠', '运费', '实付', '收货人', '电话', '地址', '买家备注', '商家备注', '物流公司', '运单号'];
const STATUS_LABELS: Record<string, string> = {
  pending_payment: '待付款', paid: '待发货', shipped: '已发货', received: '已收货', completed: '已完成',
  cancelled: '已取消', closed: '已关闭', refunding: '退款中', refunded: '已退款',
};
const CHANNEL_LABELS: Record<string, string> = { wechat: '微信', h5: 'H5', app: 'App' };

/** Times in the shop's time zone, as a spreadsheet shows them: 2026-11-21 18:05:09. */
function shopTime(timeZone: string) {
  const f = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  return (ms: number | null) => (ms === null ? '' : f.format(new Date(ms)));
}

/** Orders of every channel and distributor shop in one place (C5, C6, C8). */
export const adminOrderRoutes = new Hono<AppEnv>()
  .get('/orders', permit('orders.view'), query(OrderFilter), async (c) => {
    const f = c.req.valid('query');
    const where = filters(f);
    if (f.cursor) where.push(lt(orders.id, f.cursor));
    const { orm } = c.get('shop');
    const rows = await orm.select().from(orders).where(and(...where)).orderBy(desc(orders.id)).limit(31);
    const page = rows.slice(0, 30);
    const lines = page.length ? await orm.select().from(orderLines).where(inArray(orderLines.orderId, page.map((o) => o.id))) : [];
    return c.json({ items: page.map((o) => ({ ...o, lines: lines.filter((l) => l.orderId === o.id) })), nextCursor: rows.length > 30 ? page.at(-1)!.id : null });
  })
  .get('/orders/export.csv', permit('orders.export'), query(OrderFilter), async (c) => {
    const f = c.req.valid('query');
    const { orm } = c.get('shop');
    const tz = await orm.select().from(settings).where(eq(settings.key, 'timezone'));
    const iso = shopTime(typeof tz[0]?.value === 'string' ? tz[0].value : 'Asia/Shanghai');
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="orders-${new Date(now(c)).toISOString().slice(0, 10)}.csv"`);
    // Streamed page by page: an export of a busy year never sits in memory whole.
    return stream(c, async (out) => {
      await out.write(`\uFEFF${EXPORT_COLUMNS.join(',')}\r\n`);
      let cursor: string | undefined;
      for (;;) {
        const where = filters(f);
        if (cursor) where.push(lt(orders.id, cursor));
        const page = await orm.select({ order: orders, shipment: shipments }).from(orders).leftJoin(shipments, eq(shipments.orderId, orders.id))
          .where(and(...where)).orderBy(desc(orders.id)).limit(500);
        if (page.length === 0) break;
        const lines = await orm.select().from(orderLines).where(inArray(orderLines.orderId, page.map((p) => p.order.id)));
        let chunk = '';
        for (const { order: o, shipment: s } of page) {
          const mine = lines.filter((l) => l.orderId === o.id);
          const a = o.address;
          chunk += [o.orderNo, STATUS_LABELS[o.status] ?? o.status, CHANNEL_LABELS[o.channel] ?? o.channel, iso(o.createdAt), iso(o.paidAt),
            mine.map((l) => `${l.title} ${Object.values(l.specs).join('/')}`).join('; '), mine.reduce((n, l) => n + l.quantity, 0),
            (o.itemsTotal / 100).toFixed(2), (o.discountTotal / 100).toFixed(2), (o.shippingFee / 100).toFixed(2), (o.payTotal / 100).toFixed(2),
            a.name, a.phone, `${a.province}${a.city}${a.district}${a.detail}`, o.remark, o.merchantRemark, s?.carrier ?? '', s?.trackingNo ?? '',
          ].map(csvCell).join(',') + '\r\n';
        }
        await out.write(chunk);
        cursor = page.at(-1)!.order.id;
        if (page.length < 500) break;
      }
    });
  })
  .get('/orders/:id', permit('orders.view'), async (c) => {
    const order = await findOrder(c, c.req.param('id'));
    const { orm } = c.get('shop');
    const [lines, payments, [shipment]] = await Promise.all([
      orm.select().from(orderLines).where(eq(orderLines.orderId, order.id)),
      orm.select().from(paymentIntents).where(eq(paymentIntents.orderId, order.id)),
      orm.select().from(shipments).where(eq(shipments.orderId, order.id)),
    ]);
    return c.json({ order, lines, payments, shipment: shipment ?? null });
  })
  .patch('/orders/:id/remark', permit('orders.manage'), json(v.strictObject({ remark: v.pipe(v.string(), v.trim(), v.maxLength(500)) })), async (c) => {
    const before = await findOrder(c, c.req.param('id'));
    const remark = c.req.valid('json').remark;
    const { orm } = c.get('shop');
    await commitAudited(c, [orm.update(orders).set({ merchantRemark: remark, updatedAt: now(c) }).where(eq(orders.id, before.id))],
      { entity: 'order', entityId: before.id, action: 'remark', before: { merchantRemark: before.merchantRemark }, after: { merchantRemark: remark } });
    return c.json({ ok: true });
  })
  .post('/orders/:id/close', permit('orders.manage'), async (c) => {
    const order = await findOrder(c, c.req.param('id'));
    if (order.status !== 'pending_payment') throw new AppError('ORDER_STATE');
    await releaseUnpaid(c.get('shop').db, order.id, 'closed', now(c), {
      beforeDeadline: true,
      extra: [
        ...releasedCommissionStatements(order.id, now(c)),
        orderCancelledEvent(order.id, 'merchant', now(c)),
        auditStatement(c, { entity: 'order', entityId: order.id, action: 'close', before: { status: order.status }, after: { status: 'closed' } }),
      ],
    });
    return c.json({ ok: true });
  })
  .post('/orders/:id/ship', permit('orders.manage'), json(ShipInput), async (c) => {
    const order = await findOrder(c, c.req.param('id'));
    const { carrier, trackingNo } = c.req.valid('json');
    await shipOrder(c.get('shop').db, order.id, carrier, trackingNo, now(c), [
      auditStatement(c, { entity: 'order', entityId: order.id, action: 'ship', before: { status: order.status }, after: { status: 'shipped', carrier, trackingNo } }),
    ]);
    c.set('eventsWritten', true);
    return c.json({ ok: true });
  })
  .post('/orders/:id/logistics', permit('orders.manage'), json(v.strictObject({ text: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)) })), async (c) => {
    // Manual entry of a logistics step (the carrier port's first adapter); the buyer sees the trail.
    const order = await findOrder(c, c.req.param('id'));
    const { orm } = c.get('shop');
    const [shipment] = await orm.select().from(shipments).where(eq(shipments.orderId, order.id));
    if (!shipment) throw new AppError('ORDER_STATE');
    const logistics = [...shipment.logistics, { at: now(c), text: c.req.valid('json').text }];
    await commitAudited(c, [orm.update(shipments).set({ logistics }).where(eq(shipments.id, shipment.id))],
      { entity: 'order', entityId: order.id, action: 'logistics', before: null, after: { text: c.req.valid('json').text } });
    return c.json({ logistics });
  })
  .post('/orders/ship-batch', permit('orders.manage'), async (c) => {
    const type = c.req.header('content-type') ?? '';
    if (!/^(text\/csv|text\/plain)\b/i.test(type)) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
    const csv = await c.req.text();
    if (new TextEncoder().encode(csv).byteLength > MAX_CSV_BYTES) throw new AppError('PAYLOAD_TOO_LARGE');
    const report = await shipFromCsv(c.get('shop').db, csv, now(c),
      (shipped) => [auditStatement(c, { entity: 'order', entityId: 'batch', action: 'ship_batch', before: null, after: { shipped } })]);
    if (report.shipped > 0) c.set('eventsWritten', true);
    return c.json(report);
  });
