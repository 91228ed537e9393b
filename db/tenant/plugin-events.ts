import { sql, type SQL } from 'drizzle-orm';

/**
 * Outbox rows for the plugin events that are not about an order (member.registered,
 * distributor.approved, commission.settled, withdrawal.paid), written in the batch of the change
 * they report, so an event exists exactly when its change committed. They are written only while
 * some plugin is enabled: a shop without plugins keeps no outbox. Delivery (apps/api
 * plugins/order-events.ts) hands each to the enabled plugins that listen and were installed
 * before it happened.
 */
export const whilePluginsEnabled = 'EXISTS (SELECT 1 FROM plugin_installs WHERE enabled = 1)';

export type ShopEventType = 'member.registered' | 'distributor.approved' | 'commission.settled' | 'withdrawal.paid';
type Payload = Readonly<Record<string, string | number | null>>;

const insertSql = `INSERT INTO outbox_events (id, type, payload, created_at) SELECT lower(hex(randomblob(16))), ?, ?, ? WHERE ${whilePluginsEnabled}`;

/** The event as a libSQL statement, for a batch of statements. */
export function shopEvent(type: ShopEventType, payload: Payload, now: number): { sql: string; args: (string | number)[] } {
  return { sql: insertSql, args: [type, JSON.stringify(payload), now] };
}

/** The same statement for a drizzle batch. */
export function shopEventSql(type: ShopEventType, payload: Payload, now: number): SQL {
  return sql`INSERT INTO outbox_events (id, type, payload, created_at) SELECT lower(hex(randomblob(16))), ${type}, ${JSON.stringify(payload)}, ${now} WHERE ${sql.raw(whilePluginsEnabled)}`;
}
