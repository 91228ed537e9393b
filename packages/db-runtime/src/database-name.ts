/** Database names become file names and URL labels: keep them to what both accept. */
const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function assertDatabaseName(name: string): string {
  if (!NAME.test(name)) throw new Error(`invalid database name: ${JSON.stringify(name)}`);
  return name;
}

/** A shop's database name from its tenant id (UUIDv7 → 32 hex): stable, unique, no slug leak. */
export const shopDatabaseName = (tenantId: string): string => `shop-${tenantId.replaceAll('-', '').toLowerCase()}`;
