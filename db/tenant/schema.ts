import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Shop settings as key → JSON value (shop name, locale, time zone, …). */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const roles = sqliteTable('roles', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** Built-in roles carry their catalog key ('super_admin', …) and cannot be edited. */
  builtin: text('builtin').unique(),
  permissions: text('permissions', { mode: 'json' }).$type<string[]>().notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const staff = sqliteTable('staff', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  status: text('status', { enum: ['active', 'disabled'] }).notNull().default('active'),
  isOwner: integer('is_owner', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [check('staff_status', sql`${t.status} in ('active','disabled')`)]);

export const staffRoles = sqliteTable('staff_roles', {
  staffId: text('staff_id').notNull().references(() => staff.id, { onDelete: 'cascade' }),
  roleId: text('role_id').notNull().references(() => roles.id),
}, (t) => [primaryKey({ columns: [t.staffId, t.roleId] }), index('staff_roles_role').on(t.roleId)]);

/** Sessions of staff and members (kind), stored by SHA-256 of the token. */
export const sessions = sqliteTable('sessions', {
  id: text('id').primaryKey(),
  kind: text('kind', { enum: ['staff', 'member'] }).notNull(),
  subjectId: text('subject_id').notNull(),
  expiresAt: integer('expires_at').notNull(),
  createdAt: integer('created_at').notNull(),
}, (t) => [
  check('sessions_kind', sql`${t.kind} in ('staff','member')`),
  index('sessions_subject').on(t.kind, t.subjectId),
]);

/** One-time tickets that carry a fresh signup from the platform host to the shop's own host. */
export const loginTickets = sqliteTable('login_tickets', {
  id: text('id').primaryKey(),
  staffId: text('staff_id').notNull().references(() => staff.id, { onDelete: 'cascade' }),
  expiresAt: integer('expires_at').notNull(),
});

export const memberChannels = ['wechat', 'h5', 'app'] as const;

export const members = sqliteTable('members', {
  id: text('id').primaryKey(),
  username: text('username').unique(),
  passwordHash: text('password_hash'),
  nickname: text('nickname').notNull(),
  avatarUrl: text('avatar_url'),
  channel: text('channel', { enum: memberChannels }).notNull(),
  status: text('status', { enum: ['active', 'disabled'] }).notNull().default('active'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [
  check('members_channel', sql`${t.channel} in ('wechat','h5','app')`),
  check('members_status', sql`${t.status} in ('active','disabled')`),
  index('members_created').on(t.createdAt),
]);

/**
 * External identities of a member: a WeChat openid (per app id, with its unionid when the app is
 * bound to an open platform account) or a verified phone number. One subject maps to one member.
 */
export const memberIdentities = sqliteTable('member_identities', {
  id: text('id').primaryKey(),
  memberId: text('member_id').notNull().references(() => members.id, { onDelete: 'cascade' }),
  provider: text('provider', { enum: ['wechat', 'phone'] }).notNull(),
  appId: text('app_id').notNull().default(''),
  subject: text('subject').notNull(),
  unionId: text('union_id'),
  createdAt: integer('created_at').notNull(),
}, (t) => [
  check('member_identities_provider', sql`${t.provider} in ('wechat','phone')`),
  uniqueIndex('member_identities_subject').on(t.provider, t.appId, t.subject),
  index('member_identities_union').on(t.unionId),
  index('member_identities_member').on(t.memberId),
]);

/** Who did what to which entity, with the state before and after; written in the mutation's batch. */
export const auditLog = sqliteTable('audit_log', {
  id: text('id').primaryKey(),
  staffId: text('staff_id'),
  staffName: text('staff_name').notNull(),
  entity: text('entity').notNull(),
  entityId: text('entity_id').notNull(),
  action: text('action').notNull(),
  before: text('before', { mode: 'json' }),
  after: text('after', { mode: 'json' }),
  ip: text('ip'),
  createdAt: integer('created_at').notNull(),
}, (t) => [
  index('audit_log_created').on(t.createdAt),
  index('audit_log_entity').on(t.entity, t.createdAt),
  index('audit_log_staff').on(t.staffId, t.createdAt),
]);

/** Fixed-window counters for login throttling, per shop. */
export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: integer('window_start').notNull(),
  count: integer('count').notNull(),
});

/**
 * Invariants that span rows ("a shop keeps one active super admin") are checked inside the batch
 * that could break them: the batch inserts a row whose `holds` is the invariant's truth value, the
 * CHECK rejects a false one and the whole batch rolls back, whatever ran concurrently. The rows
 * are deleted again in the same batch, so the table stays empty.
 */
export const invariantGuards = sqliteTable('invariant_guards', {
  name: text('name').notNull(),
  holds: integer('holds').notNull(),
}, (t) => [check('invariant_guards_holds', sql`${t.holds} = 1`)]);

// ─── Catalog (B1–B4) ────────────────────────────────────────────────────────────────────────

/** An attribute or spec of a product type: a name and the values a merchant picks from. */
export type NamedValues = { name: string; values: string[] };

export const productTypes = sqliteTable('product_types', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** Descriptive attributes (材质, 产地): one value per product, shown on the detail page. */
  attributes: text('attributes', { mode: 'json' }).$type<NamedValues[]>().notNull(),
  /** Specs (颜色, 尺码): their combinations are the product's SKUs. */
  specs: text('specs', { mode: 'json' }).$type<NamedValues[]>().notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** Two levels: a root (parent_id NULL) or a child of a root. */
export const categories = sqliteTable('categories', {
  id: text('id').primaryKey(),
  parentId: text('parent_id'),
  name: text('name').notNull(),
  typeId: text('type_id').references(() => productTypes.id),
  position: integer('position').notNull().default(0),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [index('categories_parent').on(t.parentId, t.position)]);

export const products = sqliteTable('products', {
  id: text('id').primaryKey(),
  categoryId: text('category_id').notNull().references(() => categories.id),
  typeId: text('type_id').references(() => productTypes.id),
  title: text('title').notNull(),
  subtitle: text('subtitle').notNull().default(''),
  /** Sanitized on write: only a whitelist of tags and attributes survives. */
  descriptionHtml: text('description_html').notNull().default(''),
  /** Blob keys, first is the cover. */
  images: text('images', { mode: 'json' }).$type<string[]>().notNull(),
  attributes: text('attributes', { mode: 'json' }).$type<Record<string, string>>().notNull(),
  specs: text('specs', { mode: 'json' }).$type<NamedValues[]>().notNull(),
  /** Cheapest and dearest live SKU, kept in the batch that changes SKUs: list pages sort on them. */
  priceMin: integer('price_min').notNull(),
  priceMax: integer('price_max').notNull(),
  marketPrice: integer('market_price'),
  status: text('status', { enum: ['on', 'off'] }).notNull().default('off'),
  sales: integer('sales').notNull().default(0),
  lowStockThreshold: integer('low_stock_threshold').notNull().default(0),
  autoOffShelf: integer('auto_off_shelf', { mode: 'boolean' }).notNull().default(false),
  deletedAt: integer('deleted_at'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [
  check('products_status', sql`${t.status} in ('on','off')`),
  check('products_prices', sql`${t.priceMin} >= 0 AND ${t.priceMax} >= ${t.priceMin} AND (${t.marketPrice} IS NULL OR ${t.marketPrice} >= 0)`),
  check('products_sales', sql`${t.sales} >= 0`),
  check('products_low_stock', sql`${t.lowStockThreshold} >= 0`),
  index('products_listing').on(t.status, t.categoryId, t.id),
  index('products_by_sales').on(t.status, t.sales, t.id),
  index('products_by_price').on(t.status, t.priceMin, t.id),
]);

export const skus = sqliteTable('skus', {
  id: text('id').primaryKey(),
  productId: text('product_id').notNull().references(() => products.id),
  /** Canonical "name:value|name:value" in the product's spec order: one SKU per combination. */
  specKey: text('spec_key').notNull(),
  specs: text('specs', { mode: 'json' }).$type<Record<string, string>>().notNull(),
  price: integer('price').notNull(),
  marketPrice: integer('market_price'),
  stock: integer('stock').notNull(),
  deletedAt: integer('deleted_at'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [
  check('skus_price', sql`${t.price} >= 0 AND (${t.marketPrice} IS NULL OR ${t.marketPrice} >= 0)`),
  check('skus_stock', sql`${t.stock} >= 0`),
  uniqueIndex('skus_product_spec').on(t.productId, t.specKey),
  index('skus_low_stock').on(t.stock),
]);

/** Append-only: every stock change with its reason; stock on skus is the cached sum. */
export const stockMovements = sqliteTable('stock_movements', {
  id: text('id').primaryKey(),
  skuId: text('sku_id').notNull().references(() => skus.id),
  delta: integer('delta').notNull(),
  reason: text('reason', { enum: ['initial', 'adjust', 'order', 'release', 'return'] }).notNull(),
  ref: text('ref'),
  createdAt: integer('created_at').notNull(),
}, (t) => [index('stock_movements_sku').on(t.skuId, t.createdAt)]);

// ─── Selling (C1–C5) ────────────────────────────────────────────────────────────────────────

export const addresses = sqliteTable('addresses', {
  id: text('id').primaryKey(),
  memberId: text('member_id').notNull().references(() => members.id),
  name: text('name').notNull(),
  phone: text('phone').notNull(),
  province: text('province').notNull(),
  city: text('city').notNull(),
  district: text('district').notNull(),
  detail: text('detail').notNull(),
  isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [index('addresses_member').on(t.memberId)]);

export const cartItems = sqliteTable('cart_items', {
  id: text('id').primaryKey(),
  memberId: text('member_id').notNull().references(() => members.id),
  skuId: text('sku_id').notNull().references(() => skus.id),
  quantity: integer('quantity').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [
  check('cart_items_quantity', sql`${t.quantity} BETWEEN 1 AND 999`),
  uniqueIndex('cart_items_member_sku').on(t.memberId, t.skuId),
]);

/** A shared cart: the link's token names a frozen list of SKUs and quantities. */
export const cartShares = sqliteTable('cart_shares', {
  id: text('id').primaryKey(),
  memberId: text('member_id').notNull().references(() => members.id),
  items: text('items', { mode: 'json' }).$type<{ skuId: string; quantity: number }[]>().notNull(),
  createdAt: integer('created_at').notNull(),
});

export const orderStatuses = ['pending_payment', 'paid', 'shipped', 'received', 'completed', 'cancelled', 'closed', 'refunding', 'refunded'] as const;

export const orders = sqliteTable('orders', {
  id: text('id').primaryKey(),
  orderNo: text('order_no').notNull().unique(),
  memberId: text('member_id').notNull().references(() => members.id),
  /** The buyer's idempotency key: a retried submit finds the order it already made. */
  clientKey: text('client_key').notNull(),
  status: text('status', { enum: orderStatuses }).notNull(),
  channel: text('channel', { enum: memberChannels }).notNull(),
  itemsTotal: integer('items_total').notNull(),
  discountTotal: integer('discount_total').notNull().default(0),
  shippingFee: integer('shipping_fee').notNull(),
  payTotal: integer('pay_total').notNull(),
  address: text('address', { mode: 'json' }).$type<Record<string, string>>().notNull(),
  remark: text('remark').notNull().default(''),
  /** Filled by distribution: up to three ancestors and the distributor shop, frozen at placement. */
  upline: text('upline', { mode: 'json' }).$type<string[] | null>(),
  distributorShopId: text('distributor_shop_id'),
  expiresAt: integer('expires_at').notNull(),
  paidAt: integer('paid_at'),
  closedAt: integer('closed_at'),
  shippedAt: integer('shipped_at'),
  receivedAt: integer('received_at'),
  completedAt: integer('completed_at'),
  /** The merchant's own note, never shown to the buyer. */
  merchantRemark: text('merchant_remark').notNull().default(''),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [
  check('orders_status', sql`${t.status} in ('pending_payment','paid','shipped','received','completed','cancelled','closed','refunding','refunded')`),
  check('orders_money', sql`${t.itemsTotal} >= 0 AND ${t.discountTotal} >= 0 AND ${t.shippingFee} >= 0 AND ${t.payTotal} >= 0 AND ${t.payTotal} = ${t.itemsTotal} - ${t.discountTotal} + ${t.shippingFee}`),
  uniqueIndex('orders_member_client_key').on(t.memberId, t.clientKey),
  index('orders_member_created').on(t.memberId, t.createdAt),
  index('orders_status_expires').on(t.status, t.expiresAt),
  index('orders_created').on(t.createdAt),
  index('orders_status_shipped').on(t.status, t.shippedAt),
]);

/** How an order left the warehouse: one parcel per order (carrier + tracking number). */
export const shipments = sqliteTable('shipments', {
  id: text('id').primaryKey(),
  orderId: text('order_id').notNull().references(() => orders.id).unique(),
  carrier: text('carrier').notNull(),
  trackingNo: text('tracking_no').notNull(),
  /** Logistics status from the carrier port or typed by staff. */
  logistics: text('logistics', { mode: 'json' }).$type<{ at: number; text: string }[]>().notNull(),
  createdAt: integer('created_at').notNull(),
});

export const orderLines = sqliteTable('order_lines', {
  id: text('id').primaryKey(),
  orderId: text('order_id').notNull().references(() => orders.id),
  skuId: text('sku_id').notNull().references(() => skus.id),
  productId: text('product_id').notNull().references(() => products.id),
  title: text('title').notNull(),
  specs: text('specs', { mode: 'json' }).$type<Record<string, string>>().notNull(),
  image: text('image'),
  unitPrice: integer('unit_price').notNull(),
  quantity: integer('quantity').notNull(),
  discount: integer('discount').notNull().default(0),
  /** What the buyer pays for this line: unit price × quantity − discount (commission's base). */
  paidAmount: integer('paid_amount').notNull(),
  refundedAmount: integer('refunded_amount').notNull().default(0),
}, (t) => [
  check('order_lines_money', sql`${t.unitPrice} >= 0 AND ${t.quantity} >= 1 AND ${t.discount} >= 0 AND ${t.paidAmount} = ${t.unitPrice} * ${t.quantity} - ${t.discount} AND ${t.refundedAmount} BETWEEN 0 AND ${t.paidAmount}`),
  index('order_lines_order').on(t.orderId),
]);

export const paymentIntents = sqliteTable('payment_intents', {
  id: text('id').primaryKey(),
  orderId: text('order_id').notNull().references(() => orders.id),
  provider: text('provider', { enum: ['sandbox', 'wechat', 'alipay', 'offline'] }).notNull(),
  amount: integer('amount').notNull(),
  status: text('status', { enum: ['pending', 'succeeded', 'failed', 'closed'] }).notNull(),
  /** The provider's transaction id, once known: a notify is applied once per external id. */
  externalId: text('external_id').unique(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [
  check('payment_intents_amount', sql`${t.amount} >= 0`),
  index('payment_intents_order').on(t.orderId),
]);

/** Payment callbacks as received, accepted or not: the trail for disputes and forged notifies. */
export const paymentNotifications = sqliteTable('payment_notifications', {
  id: text('id').primaryKey(),
  provider: text('provider').notNull(),
  intentId: text('intent_id'),
  outcome: text('outcome').notNull(),
  detail: text('detail').notNull(),
  createdAt: integer('created_at').notNull(),
});

// ─── After-sales (C7) ───────────────────────────────────────────────────────────────────────

export const afterSaleKinds = ['refund', 'return_refund', 'exchange'] as const;
export const afterSaleStatuses = ['requested', 'awaiting_return', 'returned', 'refunded', 'exchanged', 'rejected', 'cancelled'] as const;
/** The line-level claim: how many units and how much money of one order line. */
export type AfterSaleLine = { lineId: string; quantity: number; amount: number };

export const afterSales = sqliteTable('after_sales', {
  id: text('id').primaryKey(),
  orderId: text('order_id').notNull().references(() => orders.id),
  memberId: text('member_id').notNull().references(() => members.id),
  kind: text('kind', { enum: afterSaleKinds }).notNull(),
  status: text('status', { enum: afterSaleStatuses }).notNull(),
  reason: text('reason').notNull(),
  images: text('images', { mode: 'json' }).$type<string[]>().notNull(),
  lines: text('lines', { mode: 'json' }).$type<AfterSaleLine[]>().notNull(),
  amount: integer('amount').notNull(),
  rejectReason: text('reject_reason'),
  returnCarrier: text('return_carrier'),
  returnTrackingNo: text('return_tracking_no'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
  resolvedAt: integer('resolved_at'),
}, (t) => [
  check('after_sales_kind', sql`${t.kind} in ('refund','return_refund','exchange')`),
  check('after_sales_status', sql`${t.status} in ('requested','awaiting_return','returned','refunded','exchanged','rejected','cancelled')`),
  check('after_sales_amount', sql`${t.amount} >= 0`),
  index('after_sales_order').on(t.orderId),
  index('after_sales_status').on(t.status, t.createdAt),
  /** One open request per order at a time: a second one waits for the first to finish. */
  uniqueIndex('after_sales_one_open').on(t.orderId).where(sql`status in ('requested','awaiting_return','returned')`),
]);

export const refunds = sqliteTable('refunds', {
  id: text('id').primaryKey(),
  afterSaleId: text('after_sale_id').notNull().references(() => afterSales.id),
  orderId: text('order_id').notNull().references(() => orders.id),
  intentId: text('intent_id').notNull().references(() => paymentIntents.id),
  amount: integer('amount').notNull(),
  status: text('status', { enum: ['processing', 'succeeded', 'failed'] }).notNull(),
  externalId: text('external_id').unique(),
  createdAt: integer('created_at').notNull(),
}, (t) => [check('refunds_amount', sql`${t.amount} > 0`), index('refunds_order').on(t.orderId)]);

/**
 * After-commit events (order.paid, order.refunded, …), written in the batch that causes them and
 * delivered at least once by the queue; consumers are idempotent by event id.
 */
export const outboxEvents = sqliteTable('outbox_events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  payload: text('payload', { mode: 'json' }).notNull(),
  createdAt: integer('created_at').notNull(),
  deliveredAt: integer('delivered_at'),
}, (t) => [index('outbox_events_pending').on(t.deliveredAt, t.createdAt)]);

// ─── Reviews (C9) and notifications (C10) ───────────────────────────────────────────────────

export const reviews = sqliteTable('reviews', {
  id: text('id').primaryKey(),
  orderLineId: text('order_line_id').notNull().references(() => orderLines.id).unique(),
  productId: text('product_id').notNull().references(() => products.id),
  memberId: text('member_id').notNull().references(() => members.id),
  rating: integer('rating').notNull(),
  /** Plain text: markup is stripped on write and the UI renders it as text. */
  text: text('text').notNull(),
  images: text('images', { mode: 'json' }).$type<string[]>().notNull(),
  hidden: integer('hidden', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at').notNull(),
}, (t) => [
  check('reviews_rating', sql`${t.rating} BETWEEN 1 AND 5`),
  index('reviews_product').on(t.productId, t.hidden, t.createdAt),
]);

/** The in-app notification centre: to one member, or to the shop's staff (recipient_id NULL). */
export const notifications = sqliteTable('notifications', {
  id: text('id').primaryKey(),
  recipientKind: text('recipient_kind', { enum: ['member', 'staff'] }).notNull(),
  recipientId: text('recipient_id'),
  type: text('type').notNull(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  ref: text('ref'),
  readAt: integer('read_at'),
  createdAt: integer('created_at').notNull(),
}, (t) => [
  check('notifications_kind', sql`${t.recipientKind} in ('member','staff')`),
  index('notifications_recipient').on(t.recipientKind, t.recipientId, t.createdAt),
]);
