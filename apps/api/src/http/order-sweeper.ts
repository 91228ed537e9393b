import { advanceDueOrders, closeExpiredOrders, defaultCompletionRules } from '@tuike/orders';
import { ledgerHooks, loadDistributionContext, releasedCommissionStatements, settleClosedPeriod } from '@tuike/distribution';
import type { Platform } from '@tuike/core';
import type { ShopHandle, TenantDirectory, TenantRecord } from '@tuike/tenancy';
import type { Services } from '../context';
import { deliverPluginEvents, orderCancelledEvent, ordersCompletedEvents } from '../plugins/order-events';

/** How often a shop closes its unpaid orders past their deadline. */
export const SWEEP_INTERVAL_MS = 30_000;

/**
 * Orders move on by time (C5): unpaid ones close and release their stock when they expire,
 * shipped ones count as received after the auto-receive days, received ones complete after the
 * after-sales window. A shop is swept as it is
 * visited (at most every 30 s), and the scheduler sweeps the shops visited since the process
 * started: a shop nobody visits has nobody waiting for its stock, and its first visitor finds it
 * swept before being served.
 */
export function createOrderSweeper(platform: Platform, tenants: TenantDirectory, services: () => Services) {
  const nextSweep = new Map<string, number>();
  const seen = new Map<string, TenantRecord>();

  async function sweep(handle: ShopHandle, now: number) {
    nextSweep.set(handle.tenant.id, now + SWEEP_INTERVAL_MS);
    const distribution = await loadDistributionContext(handle.db);
    // Completion freezes commission in the same batch; a closed period settles once (D7, D8).
    await advanceDueOrders(handle.db, now, defaultCompletionRules, [...ledgerHooks(distribution, now).completed(), ordersCompletedEvents(now)]);
    await settleClosedPeriod(handle.db, distribution, now);
    const closed = await closeExpiredOrders(handle.db, now, 200, (orderId) => [...releasedCommissionStatements(orderId, now), orderCancelledEvent(orderId, 'timeout', now)]);
    // Plugins' event deliveries never fail the sweep (or the visit that ran it); they retry next time.
    await deliverPluginEvents(services(), handle.db, handle.tenant.slug, now).catch((e: unknown) => console.error('[tuike] plugin event delivery failed; next sweep retries', e));
    return closed;
  }

  return {
    async visit(handle: ShopHandle) {
      seen.set(handle.tenant.id, handle.tenant);
      const now = platform.clock.now();
      if ((nextSweep.get(handle.tenant.id) ?? 0) <= now) await sweep(handle, now);
    },
    /** The scheduler's job: every shop seen, whether or not it is visited now. */
    async sweepSeen() {
      let closed = 0;
      for (const tenant of seen.values()) {
        const handle = await tenants.open(tenant);
        try {
          closed += await sweep(handle, platform.clock.now());
        } finally {
          handle.release();
        }
      }
      return closed;
    },
  };
}

export type OrderSweeper = ReturnType<typeof createOrderSweeper>;
