import { tablePrefix, type ReserveContext, type Veto } from '@tuike/plugin-sdk';
import { checkReservation, choiceFor, deepFreeze, memberFor, settingsFor, type ResolvedPricing } from '@tuike/plugin-sdk/engine';
import { runPluginHook, skippedOf, type HookRunOptions, type InstalledPlugin, type PlaceOrderRun, type SkippedPlugin } from './hook-pipeline';
import { pluginStatementProblems, type SqlInStatement } from './plugin-db';

/**
 * reserveOrder, the one hook that writes with the order: each enabled plugin returns statements
 * on its own tables, which are checked like any plugin SQL (write access to `plg_{id}_` only)
 * and placed inside the order's batch. An `expect` becomes a row in `plugin_guards` whose slot
 * names the plugin, so when the hold cannot be had the batch rolls back — order, stock and every
 * other hold with it — and the buyer reads that plugin's refusal. A plugin that throws or answers
 * badly holds nothing and is counted by the circuit breaker like any hook (critical ones fail
 * the order); statements outside its tables count as a bad answer.
 */
export interface ReserveRun extends PlaceOrderRun {
  orderId: string;
  orderNo: string;
  /** Placed lines in cart order: the order line each cart line became. */
  placed: readonly { lineId: string; orderLineId: string; paidAmount: number }[];
  /** Every plugin installed in the shop, so a longer id nested in a prefix stays its owner's. */
  installedPluginIds: readonly string[];
}

export interface ReservationPlan {
  statements: SqlInStatement[];
  /** Plugins that hold something, in slot order. */
  holders: { pluginId: string; refusal: Veto }[];
  skipped: SkippedPlugin[];
  /** The refusal of the hold that failed, when `error` is a failed guard or constraint of a holder; else null. */
  refusalFor(error: unknown): (Veto & { pluginId: string }) | null;
}

/** Slots of `plugin_guards` (its named CHECKs plugin_guard_0 … _7). */
export const reservationSlots = 8;

function messagesOf(e: unknown): string[] {
  const out: string[] = [];
  for (let cur = e, depth = 0; cur instanceof Error && depth < 6; cur = cur.cause, depth++) out.push(cur.message);
  return out;
}

export function planReservations(plugins: readonly InstalledPlugin[], call: ReserveRun, priced: ResolvedPricing, options: HookRunOptions): ReservationPlan {
  const statements: SqlInStatement[] = [];
  const holders: ReservationPlan['holders'] = [];
  const skipped: SkippedPlugin[] = [];
  for (const p of plugins) {
    const hook = p.definition.hooks.reserveOrder;
    if (!hook) continue;
    const id = p.definition.id;
    const outcome = runPluginHook(p, 'reserveOrder', () => {
      const ctx: ReserveContext = deepFreeze({
        member: memberFor(p.definition, call.member),
        orderId: call.orderId,
        orderNo: call.orderNo,
        lines: call.lines.map((l, i) => ({ ...l, orderLineId: call.placed[i]!.orderLineId, paidAmount: call.placed[i]!.paidAmount })),
        priced: {
          itemsTotal: priced.itemsTotal, discountTotal: priced.discountTotal, shippingFee: priced.shippingFee, payTotal: priced.payTotal,
          applied: priced.applied.filter((a) => a.pluginId === id).map((a) => ({ kind: a.kind, amount: a.amount, ...(a.points === undefined ? {} : { points: a.points }), ...(a.ref === null ? {} : { ref: a.ref }) })),
        },
        settings: settingsFor(p.definition, p.settings), now: call.now, state: call.states?.[id], choice: choiceFor(p.definition, call.choices?.[id]),
      });
      return hook(ctx);
    }, options, (out) => {
      const checked = checkReservation(out);
      if (!checked.ok) return checked.reason;
      if (checked.reservation && holders.length >= reservationSlots) return `more than ${reservationSlots} plugins hold something in one order`;
      for (const s of checked.reservation?.statements ?? []) {
        const problems = pluginStatementProblems(s.sql, id, p.definition.capabilities, call.installedPluginIds, 'write');
        if (problems.length) return `statement refused: ${problems[0]!.message}`;
      }
      return null;
    });
    if (outcome.status !== 'ok') {
      skipped.push(skippedOf(id, outcome));
      continue;
    }
    const checked = checkReservation(outcome.value);
    const reservation = checked.ok ? checked.reservation : null;
    if (!reservation) continue;
    const slot = holders.length;
    holders.push({ pluginId: id, refusal: reservation.refusal });
    for (const s of reservation.statements) {
      const args = s.args === undefined ? [] : Array.isArray(s.args) ? [...s.args] : { ...(s.args as Record<string, never>) };
      statements.push({ sql: s.sql, args });
      if (s.expect !== undefined) statements.push({ sql: 'INSERT INTO plugin_guards (slot, holds) SELECT ?, changes() = ?', args: [slot, s.expect] });
    }
  }
  if (holders.length) statements.push({ sql: 'DELETE FROM plugin_guards', args: [] });
  return {
    statements,
    holders,
    skipped,
    refusalFor(error) {
      if (holders.length === 0) return null;
      const messages = messagesOf(error);
      const guard = messages.join(' ').match(/CHECK constraint failed: plugin_guard_(\d)/);
      if (guard) {
        const h = holders[Number(guard[1])];
        return h ? { ...h.refusal, pluginId: h.pluginId } : null;
      }
      const constraint = messages.some((m) => /(CHECK|UNIQUE|NOT NULL|FOREIGN KEY) constraint failed/.test(m));
      if (!constraint) return null;
      // A constraint of a holder's own tables: the table (UNIQUE) or the constraint's name says whose.
      const text = messages.join(' ');
      const owner = [...holders].sort((a, b) => b.pluginId.length - a.pluginId.length).find((h) => text.includes(tablePrefix(h.pluginId)));
      // Otherwise (an unnamed CHECK): the caller has ruled out the core's own constraints, so it is a hold.
      const h = owner ?? holders[0]!;
      return { ...h.refusal, pluginId: h.pluginId };
    },
  };
}
