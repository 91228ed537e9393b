import type { Client, InStatement } from '@libsql/client';
import { newId } from '@tuike/core';
import type { OrderOffer } from '@tuike/db-tenant';
import type { PlacedLine } from '@tuike/orders';
import { eventCapability, type EventName, type PluginEvent } from '@tuike/plugin-sdk';
import { createCircuitBreaker, createPluginDb, runAsyncHook, type InstalledPlugin } from '@tuike/plugin-runtime';
import { orderEventScope, settingsFor } from '@tuike/plugin-sdk/engine';
import type { Services } from '../context';
import { pluginCodeOf } from './plugin-code';
import { pluginLog, readInstalls, shopPlugins, type InstallState, type ShopPlugins } from './shop-runtime';

/**
 * Events for plugins, through the outbox (DESIGN: events after commit, at least once). Order
 * events are below; the shop's other events (member.registered, distributor.approved,
 * commission.settled, withdrawal.paid) are written by their changes while a plugin is enabled
 * (@tuike/db-tenant plugin-events) and reach the enabled plugins that listen to them and were
 * installed before they happened.
 *
 * Each order change writes its event row in the change's own batch — placement, payment,
 * shipping, cancellation or closing, completion, refund — so an event exists exactly when the
 * change committed. Delivery then runs after the response (and on every sweep): each new outbox
 * row goes to its listening plugins at once, and gets one `plugin_deliveries` row per plugin
 * with the outcome; a failed delivery is retried with backoff until its handler succeeds. A
 * handler may see an event twice (a crash between its commit and our mark), which is why the
 * SDK asks handlers to be idempotent by event id.
 *
 * Payload rows carry what the change knew; delivery adds the order number and buyer from the
 * order, and gives each plugin only its own applied offers.
 *
 * Who hears an order's events: the plugins that took part in it (`orders.plugins`, enabled when
 * it was placed) and listen to the event — narrowed, where a plugin declares `own-offers` for the
 * event (`orderEvents`), to orders carrying one of its offers. An order no plugin took part
 * in writes no events at all, and `order.placed` is written only when one of them hears it. A
 * plugin disabled later still gets its deliveries once enabled again.
 */

/** `order.placed`, in the placement batch: lines with the order line ids, offers by plugin. */
export function orderPlacedEvent(order: { orderId: string; orderNo: string; memberId: string; payTotal: number; lines: readonly PlacedLine[]; offers: readonly OrderOffer[] }, now: number): InStatement {
  return {
    sql: `INSERT INTO outbox_events (id, type, payload, created_at) VALUES (?, 'order.placed', ?, ?)`,
    args: [newId(), JSON.stringify({
      orderId: order.orderId, orderNo: order.orderNo, memberId: order.memberId, payTotal: order.payTotal,
      lines: order.lines.map((l) => ({ lineId: l.lineId, skuId: l.skuId, productId: l.productId, quantity: l.quantity, paidAmount: l.paidAmount })),
      offers: order.offers,
    }), now],
  };
}

/** `order.paid`, in the payment batch (its guards make it commit only with the payment). */
export const orderPaidEvent = (intentId: string, now: number): InStatement => ({
  sql: `INSERT INTO outbox_events (id, type, payload, created_at)
        SELECT ?, 'order.paid', json_object('orderId', o.id, 'payTotal', o.pay_total, 'paidAt', o.paid_at), ?
        FROM orders o WHERE o.id = (SELECT order_id FROM payment_intents WHERE id = ?) AND o.status = 'paid' AND o.paid_at = ? AND o.plugins IS NOT NULL`,
  args: [newId(), now, intentId, now],
});

/** `order.cancelled`, in the release batch: only when this batch cancelled or closed the order. */
export const orderCancelledEvent = (orderId: string, reason: 'buyer' | 'merchant' | 'timeout', now: number): InStatement => ({
  sql: `INSERT INTO outbox_events (id, type, payload, created_at)
        SELECT ?, 'order.cancelled', json_object('orderId', id, 'reason', ?), ? FROM orders
        WHERE id = ? AND status IN ('cancelled', 'closed') AND closed_at = ? AND plugins IS NOT NULL`,
  args: [newId(), reason, now, orderId, now],
});

/** `order.completed` for every order the completion batch completed (completed_at = now). */
export const ordersCompletedEvents = (now: number): InStatement => ({
  sql: `INSERT INTO outbox_events (id, type, payload, created_at)
        SELECT lower(hex(randomblob(16))), 'order.completed', json_object('orderId', id, 'payTotal', pay_total, 'completedAt', completed_at), ?
        FROM orders WHERE status = 'completed' AND completed_at = ? AND plugins IS NOT NULL`,
  args: [now, now],
});

const orderEvents = new Set<string>(['order.placed', 'order.paid', 'order.shipped', 'order.completed', 'order.cancelled', 'order.refunded']);
const maxAttempts = 12;
const backoffMs = (attempts: number) => Math.min(3_600_000, 5_000 * 2 ** Math.min(attempts, 12));
const handlerBudgetMs = 5_000;
/** Events are retried, not switched off: a failing handler does not count toward the breaker. */
const retriedNotSwitchedOff = createCircuitBreaker({ threshold: Number.MAX_SAFE_INTEGER });

/** What delivery reads beside a stored event: its order (for order events) and, for a registration, the distributor bound by it. */
interface EventRow { order_no: unknown; member_id: unknown; items_paid: unknown; registered_via: unknown }

/** The SDK payload for `pluginId`, from the stored row and what delivery read beside it; null when it cannot be made (its order is gone). */
function payloadFor(type: string, raw: Record<string, unknown>, row: EventRow, pluginId: string): Record<string, unknown> | null {
  if (!orderEvents.has(type)) {
    switch (type) {
      case 'member.registered': return { memberId: raw.memberId, channel: raw.channel, distributorId: row.registered_via === null ? null : String(row.registered_via) };
      // A distributor is the member's trading unit: the same id.
      case 'distributor.approved': return { distributorId: raw.memberId, memberId: raw.memberId };
      case 'commission.settled': return { distributorId: raw.distributorId, orderId: raw.orderId, amount: raw.amount };
      case 'withdrawal.paid': return { withdrawalId: raw.withdrawalId, distributorId: raw.distributorId, amount: raw.amount };
      default: return null;
    }
  }
  if (row.order_no === null) return null;
  const ref = { orderId: raw.orderId, orderNo: String(row.order_no), memberId: String(row.member_id) };
  switch (type) {
    case 'order.placed': {
      const offers = (raw.offers as OrderOffer[] | undefined) ?? [];
      return {
        ...ref, payTotal: raw.payTotal, lines: raw.lines,
        applied: offers.filter((o) => o.pluginId === pluginId).map((o) => ({ kind: o.kind, amount: o.amount, ...(o.points === undefined ? {} : { points: o.points }), ...(o.ref === null ? {} : { ref: o.ref }) })),
      };
    }
    case 'order.paid': return { ...ref, payTotal: raw.payTotal, itemsPaid: Number(row.items_paid), paidAt: raw.paidAt };
    case 'order.shipped': return { ...ref, shippedAt: raw.shippedAt };
    case 'order.completed': return { ...ref, payTotal: raw.payTotal, itemsPaid: Number(row.items_paid), completedAt: raw.completedAt };
    case 'order.cancelled': return { ...ref, reason: raw.reason };
    case 'order.refunded': return { ...ref, refundId: raw.afterSaleId, amount: raw.total, lines: raw.lines };
    default: return null;
  }
}

const listens = (def: InstalledPlugin['definition'], type: string) =>
  def.capabilities.includes(eventCapability[type as EventName]) && typeof def.hooks.events?.[type as EventName] === 'function';

interface Listener { id: string; installedAt: number; definition: InstalledPlugin['definition'] }

/** Every installed plugin whose code is here, enabled or not: a disabled one gets its deliveries when enabled again. */
async function listenersOf(services: Services, installs: readonly InstallState[]): Promise<Listener[]> {
  const code = pluginCodeOf(services);
  const found = await Promise.all(installs.map(async (i) => ({ id: i.pluginId, installedAt: i.installedAt, definition: await code.definitionFor(i) })));
  return found.filter((l): l is Listener => l.definition !== null);
}

const jsonList = (raw: unknown): unknown[] => {
  if (typeof raw !== 'string') return [];
  const parsed: unknown = JSON.parse(raw);
  return Array.isArray(parsed) ? parsed : [];
};

/** Whether a plugin that took part in an order hears its `type` event, given the order's offers. */
export function hearsOrderEvent(def: InstalledPlugin['definition'], type: EventName, offeredBy: ReadonlySet<string>): boolean {
  return listens(def, type) && (orderEventScope(def, type) !== 'own-offers' || offeredBy.has(def.id));
}

/** Who hears one outbox event: see the header. */
function recipients(event: { type: string; created_at: unknown; plugins: unknown; offers: unknown }, listeners: readonly Listener[]): Listener[] {
  const type = event.type;
  if (!orderEvents.has(type)) return listeners.filter((l) => listens(l.definition, type) && Number(event.created_at) >= l.installedAt);
  const tookPart = new Set(jsonList(event.plugins));
  const offered = new Set(jsonList(event.offers).map((o) => (o as OrderOffer).pluginId));
  return listeners.filter((l) => tookPart.has(l.id) && hearsOrderEvent(l.definition, type as EventName, offered));
}

/** Runs `work` over `items` with at most `limit` at once. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

/**
 * Hands new outbox events to their recipients and delivers what is still due, page by page.
 * Returns how many deliveries succeeded. Safe to run concurrently with itself (at worst a
 * handler hears an event twice): a delivery row is keyed by (event, plugin), and a success is
 * never overwritten by a failure. Deliveries of different orders run side by side (their
 * handlers' batches then share commits); one order's run in the order they happened.
 */
export async function deliverPluginEvents(services: Services, db: Client, slug: string, now: number, limit = 200): Promise<number> {
  let delivered = 0;
  // Passes until one finds less than a full page: under load the work written meanwhile is picked
  // up here rather than left for the sweep. Bounded, so one shop cannot hold the runner forever.
  for (let pass = 0; pass < 20; pass++) {
    const done = await deliveryPass(services, db, slug, now, limit);
    delivered += done.delivered;
    if (!done.more) break;
  }
  return delivered;
}

/**
 * What a pass reads with each event: its order's number, buyer and items paid, the distributor a
 * registration was bound to, and the shop's time zone.
 */
const eventDetails = `o.order_no, o.member_id,
  (SELECT coalesce(sum(l.paid_amount), 0) FROM order_lines l WHERE l.order_id = o.id) AS items_paid,
  CASE WHEN e.type = 'member.registered' THEN (SELECT b.distributor_id FROM member_bindings b
    WHERE b.member_id = json_extract(e.payload, '$.memberId') AND b.source = 'register') END AS registered_via,
  (SELECT json_extract(value, '$') FROM settings WHERE key = 'timezone') AS tz`;

/** One handler call to make: a new event for a recipient, or an earlier delivery still due. */
interface Job {
  row: Record<string, unknown>;
  /** The row's stored payload, parsed once for all its jobs. */
  payload: Record<string, unknown>;
  pluginId: string;
  /** Attempts so far; null for a new event, whose delivery row this pass writes. */
  attempts: number | null;
}

/**
 * One page of new events and one of earlier deliveries still due; `more` when either was full.
 *
 * A new event is handed to its enabled recipients in this same pass, and its delivery rows are
 * written with the outcome, next to the event's own mark: a delivery row is made once, already
 * delivered or failed. A recipient that is disabled gets a waiting row. Earlier deliveries
 * (retries, and the waiting ones of plugins enabled since) are read and marked as before. All
 * marks are one batch at the end: a crash before it only means a handler hears an event again.
 */
async function deliveryPass(services: Services, db: Client, slug: string, now: number, limit: number): Promise<{ delivered: number; more: boolean }> {
  const installs = await readInstalls(db);
  // No plugin enabled, nothing to do: the events wait for one.
  if (!installs.some((i) => i.enabled)) return { delivered: 0, more: false };
  const enabled = await shopPlugins(services, db, installs);
  const enabledIds = enabled.plugins.map((p) => p.definition.id);
  const fresh = await db.execute({
    sql: `SELECT e.id AS event_id, e.type, e.payload, e.created_at, o.plugins, o.offers, ${eventDetails}
          FROM outbox_events e LEFT JOIN orders o ON o.id = json_extract(e.payload, '$.orderId')
          WHERE e.delivered_at IS NULL ORDER BY e.created_at, e.rowid LIMIT ?`,
    args: [limit],
  });
  const due = enabledIds.length === 0 ? { rows: [] } : await db.execute({
    sql: `SELECT d.event_id, d.plugin_id, d.attempts, e.type, e.payload, e.created_at, ${eventDetails}
          FROM plugin_deliveries d JOIN outbox_events e ON e.id = d.event_id
          LEFT JOIN orders o ON o.id = json_extract(e.payload, '$.orderId')
          WHERE d.delivered_at IS NULL AND d.next_attempt_at <= ? AND d.attempts < ? AND d.plugin_id IN (${enabledIds.map(() => '?').join(', ')})
          ORDER BY e.created_at, e.rowid LIMIT ?`,
    args: [now, maxAttempts, ...enabledIds, limit],
  });
  const marks: InStatement[] = [];
  const parsed = (row: Record<string, unknown>) => JSON.parse(String(row.payload)) as Record<string, unknown>;
  const jobs: Job[] = due.rows.map((row) => ({ row, payload: parsed(row), pluginId: String(row.plugin_id), attempts: Number(row.attempts) }));
  if (fresh.rows.length) {
    const listeners = await listenersOf(services, installs);
    const isEnabled = new Set(enabledIds);
    for (const e of fresh.rows) {
      const payload = parsed(e);
      for (const l of recipients({ type: String(e.type), created_at: e.created_at, plugins: e.plugins, offers: e.offers }, listeners)) {
        if (isEnabled.has(l.id)) jobs.push({ row: e, payload, pluginId: l.id, attempts: null });
        else marks.push({ sql: 'INSERT OR IGNORE INTO plugin_deliveries (event_id, plugin_id, attempts, next_attempt_at) VALUES (?, ?, 0, ?)', args: [String(e.event_id), l.id, now] });
      }
    }
    marks.push({ sql: `UPDATE outbox_events SET delivered_at = ? WHERE id IN (${fresh.rows.map(() => '?').join(', ')})`, args: [now, ...fresh.rows.map((e) => String(e.event_id))] });
  }
  // One order's deliveries run in the order its events happened; different orders side by side.
  const byOrder = new Map<string, Job[]>();
  for (const job of jobs) {
    const key = String(job.payload.orderId ?? job.row.event_id);
    const group = byOrder.get(key);
    if (group) group.push(job);
    else byOrder.set(key, [job]);
  }
  let delivered = 0;
  await eachLimited([...byOrder.values()], 16, async (orderJobs) => {
    orderJobs.sort((a, b) => Number(a.row.created_at) - Number(b.row.created_at));
    for (const job of orderJobs) {
      const error = await runHandler(services, db, enabled, slug, job);
      const eventId = String(job.row.event_id);
      if (job.attempts === null) {
        marks.push(error === null
          ? { sql: `INSERT INTO plugin_deliveries (event_id, plugin_id, attempts, delivered_at, next_attempt_at) VALUES (?, ?, 1, ?, ?)
                    ON CONFLICT (event_id, plugin_id) DO UPDATE SET delivered_at = coalesce(plugin_deliveries.delivered_at, excluded.delivered_at), last_error = NULL`, args: [eventId, job.pluginId, now, now] }
          : { sql: 'INSERT OR IGNORE INTO plugin_deliveries (event_id, plugin_id, attempts, last_error, next_attempt_at) VALUES (?, ?, 1, ?, ?)', args: [eventId, job.pluginId, error.slice(0, 500), now + backoffMs(1)] });
      } else if (error === null) {
        marks.push({ sql: 'UPDATE plugin_deliveries SET delivered_at = ?, attempts = attempts + 1, last_error = NULL WHERE event_id = ? AND plugin_id = ?', args: [now, eventId, job.pluginId] });
      } else {
        const attempts = job.attempts + 1;
        marks.push({ sql: 'UPDATE plugin_deliveries SET attempts = ?, last_error = ?, next_attempt_at = ? WHERE event_id = ? AND plugin_id = ?', args: [attempts, error.slice(0, 500), now + backoffMs(attempts), eventId, job.pluginId] });
      }
      if (error === null) delivered++;
    }
  });
  if (marks.length) await db.batch(marks, 'write');
  return { delivered, more: fresh.rows.length === limit || due.rows.length === limit };
}

/** Calls the plugin's handler for the job's event; the failure, or null when it succeeded (or has nothing to hear). */
async function runHandler(services: Services, db: Client, enabled: ShopPlugins, slug: string, job: Job): Promise<string | null> {
  const { row } = job;
  const plugin = enabled.plugins.find((p) => p.definition.id === job.pluginId)!;
  const def = plugin.definition;
  const type = String(row.type);
  const payload = payloadFor(type, job.payload, row as unknown as EventRow, def.id);
  const handler = def.hooks.events?.[type as EventName] as ((e: PluginEvent, ctx: unknown) => Promise<void>) | undefined;
  if (!payload || !handler) return null;
  const event = { id: String(row.event_id), type: type as EventName, occurredAt: Number(row.created_at), payload } as PluginEvent;
  const ctx = {
    pluginId: def.id, shop: { slug, timeZone: typeof row.tz === 'string' ? row.tz : 'Asia/Shanghai' }, settings: settingsFor(def, plugin.settings), db: createPluginDb(db, def.id, def.capabilities, { installedPluginIds: enabled.installedIds }),
    log: pluginLog(def.id), now: () => services.platform.clock.now(),
  };
  const outcome = await runAsyncHook({ id: def.id }, () => handler(event, ctx), handlerBudgetMs, retriedNotSwitchedOff, { hook: `events.${type}` });
  return outcome.status === 'failed' ? `${outcome.reason}: ${outcome.message}` : null;
}
