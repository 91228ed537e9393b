import type { Client, InStatement } from '@libsql/client';
import { ledgerHooks, loadDistributionContext } from '@tuike/distribution';

/** The commission statements that ride in a payment's batch (one settings read, then none). */
export async function commissionOnPayment(db: Client, intentId: string, now: number): Promise<InStatement[]> {
  return ledgerHooks(await loadDistributionContext(db), now).paid(intentId);
}
