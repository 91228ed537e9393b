/**
 * What a plugin may do is the closed list below; its manifest names the entries it needs and the
 * merchant sees them before installing. Every hook, event, route and widget requires one, and
 * the read capabilities are the only way to see core tables (never to write them).
 */
export const capabilities = [
  'pricing',
  'cart.intercept',
  'order.intercept',
  'order.reserve',
  'commission.adjust',
  'events.order',
  'events.member',
  'events.distribution',
  'member.read',
  'catalog.read',
  'orders.read',
  'routes',
  'widgets.storefront',
  'widgets.admin',
] as const;
export type Capability = (typeof capabilities)[number];

export const isCapability = (value: unknown): value is Capability => typeof value === 'string' && (capabilities as readonly string[]).includes(value);

/** The synchronous hooks and the capability each needs. */
export const hookCapability = {
  pricing: 'pricing',
  willAddToCart: 'cart.intercept',
  willPlaceOrder: 'order.intercept',
  reserveOrder: 'order.reserve',
  adjustCommission: 'commission.adjust',
} as const satisfies Record<string, Capability>;
export type SyncHookName = keyof typeof hookCapability;

/** `loadState` feeds pricing and the interceptors, so any one of them allows it. */
export const stateLoaderCapabilities: readonly Capability[] = ['pricing', 'cart.intercept', 'order.intercept', 'order.reserve'];

/** After-commit events, each delivered at least once, and the capability that subscribes to it. */
export const eventCapability = {
  'order.placed': 'events.order',
  'order.paid': 'events.order',
  'order.shipped': 'events.order',
  'order.completed': 'events.order',
  'order.cancelled': 'events.order',
  'order.refunded': 'events.order',
  'member.registered': 'events.member',
  'distributor.approved': 'events.distribution',
  'commission.settled': 'events.distribution',
  'withdrawal.paid': 'events.distribution',
} as const satisfies Record<string, Capability>;
export type EventName = keyof typeof eventCapability;
export const eventNames = Object.keys(eventCapability) as EventName[];

/** Named places in the storefront and the admin where a plugin may show a widget. */
export const widgetSlots = [
  'storefront.home.banner',
  'storefront.product.below-price',
  'storefront.cart.summary',
  'storefront.checkout.summary',
  'storefront.member.center',
  'admin.dashboard.card',
  'admin.order.detail',
  'admin.member.detail',
  'admin.product.detail',
] as const;
export type WidgetSlot = (typeof widgetSlots)[number];
export const slotCapability = (slot: WidgetSlot): Capability => (slot.startsWith('admin.') ? 'widgets.admin' : 'widgets.storefront');

/**
 * Core tables a read capability lets a plugin SELECT from (never write). `member.read` grants no
 * table: `members` holds password hashes, so member data reaches plugins only through hook inputs
 * (the member's tags) and event payloads until a column-safe view exists.
 */
export const coreReadGrants: Readonly<Record<Capability, readonly string[]>> = {
  pricing: [],
  'cart.intercept': [],
  'order.intercept': [],
  'order.reserve': [],
  'commission.adjust': [],
  'events.order': [],
  'events.member': [],
  'events.distribution': [],
  'member.read': [],
  'catalog.read': ['products', 'skus', 'categories', 'product_types'],
  'orders.read': ['orders', 'order_lines'],
  routes: [],
  'widgets.storefront': [],
  'widgets.admin': [],
};

export function readableCoreTables(granted: readonly Capability[]): Set<string> {
  return new Set(granted.flatMap((c) => coreReadGrants[c] ?? []));
}

/** `^[a-z][a-z0-9]*(-[a-z0-9]+)*$`, 2–31 characters: hyphens only between letters or digits. */
export const pluginIdPattern = /^(?=.{2,31}$)[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** `coupons` → `plg_coupons_`, `flash-sale` → `plg_flash_sale_`. */
export const tablePrefix = (pluginId: string) => `plg_${pluginId.replace(/-/g, '_')}_`;

/**
 * Two plugin ids whose prefixes nest (`coupons` and `coupons-pro`: `plg_coupons_pro_x` starts
 * with both) could reach each other's tables, so a shop never installs both.
 */
export function pluginIdsConflict(a: string, b: string): boolean {
  const pa = tablePrefix(a);
  const pb = tablePrefix(b);
  return pa.startsWith(pb) || pb.startsWith(pa);
}
