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
  // Price columns ride along so a price filter on a by-sales listing is checked in the index,
  // before any product row is read (B3: price range + sort by sales).
  index('products_by_sales').on(t.status, t.sales, t.id, t.priceMin, t.priceMax, t.deletedAt),
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

export interface OrderOffer {
  pluginId: string;
  kind: string;
  label: { zh: string; en: string };
  amount: number;
  points?: number;
  lineId?: string;
  ref: string | null;
}

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
  /** The plugin offers applied when it was placed (label, amount, plugin, ref), as the buyer saw them. */
  offers: text('offers', { mode: 'json' }).$type<OrderOffer[]>(),
  /**
   * The plugins that took part in it (enabled when it was placed), as a JSON array; NULL when none
   * did. Its events reach these plugins only, and are not written at all when it is NULL.
   */
  plugins: text('plugins', { mode: 'json' }).$type<string[]>(),
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
  index('orders_distributor_shop').on(t.distributorShopId, t.createdAt),
  index('orders_completed').on(t.completedAt),
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

// ─── Distribution (D1–D12) ──────────────────────────────────────────────────────────────────

/** A commission rule: per level 1–3, basis points of the line's paid amount or fen per unit. */
export type CommissionRule = { mode: 'bps' | 'fixed'; levels: number[] };

/**
 * Grades (D6): an upgrade happens when the conditions hold (all of them, or any), never a
 * downgrade. A grade with no condition is only given by hand. `rates` replace the shop default
 * for distributors of this grade (product and category overrides still win).
 */
export const distributorGrades = sqliteTable('distributor_grades', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  rank: integer('rank').notNull().unique(),
  rates: text('rates', { mode: 'json' }).$type<CommissionRule | null>(),
  /** Cumulative sales (own + team, fen), team size (3 levels) and direct recruits. */
  minSales: integer('min_sales'),
  minTeam: integer('min_team'),
  minDirect: integer('min_direct'),
  match: text('match', { enum: ['all', 'any'] }).notNull().default('all'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [
  check('distributor_grades_rank', sql`${t.rank} >= 1`),
  check('distributor_grades_conditions', sql`coalesce(${t.minSales}, 0) >= 0 AND coalesce(${t.minTeam}, 0) >= 0 AND coalesce(${t.minDirect}, 0) >= 0 AND ${t.match} in ('all','any')`),
]);

export const distributorStatuses = ['pending', 'active', 'rejected', 'disabled'] as const;

/**
 * A distributor is a member with a trading unit (D2). The upline is fixed when the application is
 * approved (the parent must already be active, so the tree can never loop) and denormalized to
 * three ancestors, so a chain or a team level is one indexed lookup at any size. Counters change
 * in the batch of the event that changes them, never by scanning a subtree.
 */
export const distributors = sqliteTable('distributors', {
  memberId: text('member_id').primaryKey().references(() => members.id),
  status: text('status', { enum: distributorStatuses }).notNull(),
  gradeId: text('grade_id').references(() => distributorGrades.id),
  gradeRank: integer('grade_rank').notNull().default(0),
  parentId: text('parent_id'),
  grandparentId: text('grandparent_id'),
  greatGrandparentId: text('great_grandparent_id'),
  inviteCode: text('invite_code').unique(),
  shopName: text('shop_name').notNull(),
  shopLogo: text('shop_logo'),
  shopBanner: text('shop_banner'),
  /** 'selected': the shop shows, and earns on, only the products in distributor_products. */
  shopScope: text('shop_scope', { enum: ['all', 'selected'] }).notNull().default('all'),
  applyNote: text('apply_note').notNull().default(''),
  rejectReason: text('reject_reason'),
  /** Where staff-made payouts go: the account of the distributor's last withdrawal, or set by them. */
  payoutAccount: text('payout_account', { mode: 'json' }).$type<{ method: string } & Record<string, string>>(),
  directCount: integer('direct_count').notNull().default(0),
  teamL2Count: integer('team_l2_count').notNull().default(0),
  teamL3Count: integer('team_l3_count').notNull().default(0),
  /** Paid amount (fen, net of refunds) of sales where this distributor is level 1, and 2–3. */
  ownSales: integer('own_sales').notNull().default(0),
  teamSales: integer('team_sales').notNull().default(0),
  ownOrders: integer('own_orders').notNull().default(0),
  appliedAt: integer('applied_at').notNull(),
  approvedAt: integer('approved_at'),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [
  check('distributors_status', sql`${t.status} in ('pending','active','rejected','disabled')`),
  check('distributors_not_own_parent', sql`${t.parentId} IS NULL OR (${t.parentId} <> ${t.memberId} AND coalesce(${t.grandparentId}, '') <> ${t.memberId} AND coalesce(${t.greatGrandparentId}, '') <> ${t.memberId})`),
  check('distributors_counters', sql`${t.directCount} >= 0 AND ${t.teamL2Count} >= 0 AND ${t.teamL3Count} >= 0 AND ${t.ownSales} >= 0 AND ${t.teamSales} >= 0 AND ${t.ownOrders} >= 0`),
  index('distributors_status').on(t.status, t.appliedAt),
  index('distributors_parent').on(t.parentId, t.approvedAt),
  index('distributors_grandparent').on(t.grandparentId, t.approvedAt),
  index('distributors_great_grandparent').on(t.greatGrandparentId, t.approvedAt),
  index('distributors_grade').on(t.gradeId),
]);

/** The products a 'selected'-scope distributor shop sells (代销部分商品). */
export const distributorProducts = sqliteTable('distributor_products', {
  distributorId: text('distributor_id').notNull().references(() => distributors.memberId),
  productId: text('product_id').notNull().references(() => products.id),
}, (t) => [primaryKey({ columns: [t.distributorId, t.productId] })]);

/** Who a customer belongs to (D3): one current binding, with an optional expiry. */
export const memberBindings = sqliteTable('member_bindings', {
  memberId: text('member_id').primaryKey().references(() => members.id),
  distributorId: text('distributor_id').notNull().references(() => distributors.memberId),
  source: text('source', { enum: ['link', 'code', 'register', 'staff'] }).notNull(),
  boundAt: integer('bound_at').notNull(),
  expiresAt: integer('expires_at'),
}, (t) => [
  check('member_bindings_not_self', sql`${t.memberId} <> ${t.distributorId}`),
  index('member_bindings_distributor').on(t.distributorId, t.boundAt),
]);

/** Every binding change, kept: who moved a customer from whom, when and how. */
export const bindingEvents = sqliteTable('binding_events', {
  id: text('id').primaryKey(),
  memberId: text('member_id').notNull().references(() => members.id),
  distributorId: text('distributor_id').notNull(),
  previousDistributorId: text('previous_distributor_id'),
  source: text('source').notNull(),
  createdAt: integer('created_at').notNull(),
}, (t) => [index('binding_events_member').on(t.memberId, t.createdAt)]);

/** Product and category commission rules (D5); a product rule wins over its category's. */
export const commissionOverrides = sqliteTable('commission_overrides', {
  scope: text('scope', { enum: ['product', 'category'] }).notNull(),
  targetId: text('target_id').notNull(),
  rule: text('rule', { mode: 'json' }).$type<CommissionRule>().notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [primaryKey({ columns: [t.scope, t.targetId] }), check('commission_overrides_scope', sql`${t.scope} in ('product','category')`)]);

export const commissionStatuses = ['awaiting_payment', 'pending', 'frozen', 'settled', 'cancelled'] as const;

/**
 * One commission line per order line and level (D4, D7). It is written with the order (awaiting
 * payment, outside every wallet), enters the wallet when the order is paid, freezes at completion,
 * settles after the freeze at a settlement run. `reversed` grows with refunds and never passes
 * `amount`; what the distributor keeps is amount − reversed.
 */
export const commissions = sqliteTable('commissions', {
  id: text('id').primaryKey(),
  orderId: text('order_id').notNull().references(() => orders.id),
  orderLineId: text('order_line_id').notNull().references(() => orderLines.id),
  distributorId: text('distributor_id').notNull().references(() => distributors.memberId),
  level: integer('level').notNull(),
  base: integer('base').notNull(),
  rateMode: text('rate_mode', { enum: ['bps', 'fixed'] }).notNull(),
  rate: integer('rate').notNull(),
  amount: integer('amount').notNull(),
  reversed: integer('reversed').notNull().default(0),
  status: text('status', { enum: commissionStatuses }).notNull(),
  /** The shop-time week and month of the payment: the leaderboard buckets the sale counted in. */
  paidWeek: text('paid_week'),
  paidMonth: text('paid_month'),
  settleAfter: integer('settle_after'),
  settledAt: integer('settled_at'),
  settlementPeriod: text('settlement_period'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [
  check('commissions_level', sql`${t.level} BETWEEN 1 AND 3`),
  check('commissions_money', sql`${t.base} >= 0 AND ${t.rate} >= 0 AND ${t.amount} >= 0 AND ${t.reversed} BETWEEN 0 AND ${t.amount}`),
  check('commissions_status', sql`${t.status} in ('awaiting_payment','pending','frozen','settled','cancelled')`),
  uniqueIndex('commissions_line_level').on(t.orderLineId, t.level),
  index('commissions_order').on(t.orderId),
  index('commissions_distributor').on(t.distributorId, t.createdAt),
  index('commissions_due').on(t.status, t.settleAfter),
]);

/**
 * The wallet of a distributor: cached sums of its ledger (wallet_entries), each bucket a
 * constraint — `available >= 0` makes a double spend fail inside its batch under any concurrency.
 * `debt` is commission reversed after it was withdrawn; future commission pays it first.
 */
export const wallets = sqliteTable('wallets', {
  distributorId: text('distributor_id').primaryKey().references(() => distributors.memberId),
  pending: integer('pending').notNull().default(0),
  frozen: integer('frozen').notNull().default(0),
  available: integer('available').notNull().default(0),
  reserved: integer('reserved').notNull().default(0),
  withdrawn: integer('withdrawn').notNull().default(0),
  debt: integer('debt').notNull().default(0),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [
  check('wallets_available', sql`${t.available} >= 0`),
  check('wallets_buckets', sql`${t.pending} >= 0 AND ${t.frozen} >= 0 AND ${t.reserved} >= 0 AND ${t.withdrawn} >= 0 AND ${t.debt} >= 0`),
]);

/**
 * The append-only wallet ledger. Each batch that moves money inserts its entries under one
 * `batch_id` and then adds exactly those entries to the wallets, so wallet = Σ entries by
 * construction and a check can recompute it.
 */
export const walletEntries = sqliteTable('wallet_entries', {
  id: text('id').primaryKey(),
  batchId: text('batch_id').notNull(),
  distributorId: text('distributor_id').notNull().references(() => distributors.memberId),
  kind: text('kind').notNull(),
  ref: text('ref').notNull(),
  pending: integer('pending').notNull().default(0),
  frozen: integer('frozen').notNull().default(0),
  available: integer('available').notNull().default(0),
  reserved: integer('reserved').notNull().default(0),
  withdrawn: integer('withdrawn').notNull().default(0),
  debt: integer('debt').notNull().default(0),
  createdAt: integer('created_at').notNull(),
}, (t) => [
  index('wallet_entries_batch').on(t.batchId),
  index('wallet_entries_distributor').on(t.distributorId, t.createdAt),
]);

/** Sales leaderboard buckets (D10): 'all', 'w2026-47', 'm2026-11' in the shop's time zone. */
export const salesBoard = sqliteTable('sales_board', {
  period: text('period').notNull(),
  distributorId: text('distributor_id').notNull().references(() => distributors.memberId),
  amount: integer('amount').notNull(),
}, (t) => [
  primaryKey({ columns: [t.period, t.distributorId] }),
  index('sales_board_rank').on(t.period, t.amount),
]);

/** A settlement run per period (D8): its primary key makes a run happen once. */
export const settlementRuns = sqliteTable('settlement_runs', {
  period: text('period').primaryKey(),
  periodEnd: integer('period_end').notNull(),
  distributors: integer('distributors').notNull(),
  amount: integer('amount').notNull(),
  ranAt: integer('ran_at').notNull(),
});

/** Per distributor and period: what settled, and how much of it paid off debt. */
export const settlementStatements = sqliteTable('settlement_statements', {
  period: text('period').notNull(),
  distributorId: text('distributor_id').notNull().references(() => distributors.memberId),
  commissions: integer('commissions').notNull(),
  amount: integer('amount').notNull(),
  debtPaid: integer('debt_paid').notNull(),
  createdAt: integer('created_at').notNull(),
}, (t) => [primaryKey({ columns: [t.period, t.distributorId] }), index('settlement_statements_distributor').on(t.distributorId, t.period)]);

export const payoutMethods = ['wechat', 'alipay', 'bank', 'offline'] as const;
export const withdrawalStatuses = ['pending', 'approved', 'paying', 'paid', 'rejected', 'failed'] as const;

/** Staff-made payouts of settled commission: a batch of withdrawal items (D8). */
export const payoutBatches = sqliteTable('payout_batches', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  method: text('method', { enum: payoutMethods }).notNull(),
  /** The settlement period paid out, when the batch was made from one: each period is paid once. */
  period: text('period').unique(),
  items: integer('items').notNull(),
  amount: integer('amount').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: integer('created_at').notNull(),
});

/**
 * A withdrawal (D9), asked by the distributor or made by a payout batch. The request reserves the
 * amount (available → reserved) in the batch that creates it; rejection or a failed payout returns
 * it, a paid one moves it to withdrawn. The fee stays with the merchant: net = amount − fee.
 */
export const withdrawals = sqliteTable('withdrawals', {
  id: text('id').primaryKey(),
  distributorId: text('distributor_id').notNull().references(() => distributors.memberId),
  amount: integer('amount').notNull(),
  fee: integer('fee').notNull(),
  net: integer('net').notNull(),
  method: text('method', { enum: payoutMethods }).notNull(),
  account: text('account', { mode: 'json' }).$type<Record<string, string>>().notNull(),
  status: text('status', { enum: withdrawalStatuses }).notNull(),
  /** The shop-time day of the request, for the daily maximum. */
  day: text('day').notNull(),
  batchId: text('batch_id').references(() => payoutBatches.id),
  reason: text('reason'),
  externalId: text('external_id'),
  reviewedBy: text('reviewed_by'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [
  check('withdrawals_money', sql`${t.amount} > 0 AND ${t.fee} >= 0 AND ${t.net} = ${t.amount} - ${t.fee} AND ${t.net} > 0`),
  check('withdrawals_status', sql`${t.status} in ('pending','approved','paying','paid','rejected','failed')`),
  check('withdrawals_method', sql`${t.method} in ('wechat','alipay','bank','offline')`),
  index('withdrawals_distributor').on(t.distributorId, t.createdAt),
  index('withdrawals_daily').on(t.distributorId, t.day),
  index('withdrawals_status').on(t.status, t.createdAt),
  index('withdrawals_batch').on(t.batchId),
]);

/** Admin share materials (D11): one image, several, or nine plus text for Moments. */
export const shareMaterials = sqliteTable('share_materials', {
  id: text('id').primaryKey(),
  kind: text('kind', { enum: ['single', 'multi', 'nine'] }).notNull(),
  title: text('title').notNull(),
  text: text('text').notNull(),
  images: text('images', { mode: 'json' }).$type<string[]>().notNull(),
  productId: text('product_id').references(() => products.id),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [check('share_materials_kind', sql`${t.kind} in ('single','multi','nine')`), index('share_materials_created').on(t.createdAt)]);

// ─── Plugins (G1–G3): what this shop installed, and their event deliveries ───────────────────

/**
 * A plugin installed in this shop: the version whose migrations ran here, whether it is on, its
 * settings (valid under its schema), and its circuit breaker: consecutive failures, and when and
 * why the platform switched it off. A critical plugin fails the call instead of being skipped.
 */
export const pluginInstalls = sqliteTable('plugin_installs', {
  pluginId: text('plugin_id').primaryKey(),
  version: text('version').notNull(),
  source: text('source', { enum: ['first_party', 'marketplace'] }).notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  critical: integer('critical', { mode: 'boolean' }).notNull().default(false),
  /** Order among plugins of the same hook (lower first). */
  position: integer('position').notNull().default(100),
  settings: text('settings', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  failures: integer('failures').notNull().default(0),
  switchedOffAt: integer('switched_off_at'),
  switchedOffReason: text('switched_off_reason'),
  installedAt: integer('installed_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [check('plugin_installs_source', sql`${t.source} in ('first_party','marketplace')`), check('plugin_installs_failures', sql`${t.failures} >= 0`)]);

/** The plugin migrations applied in this shop, one row per step, so an upgrade runs only the new ones. */
export const pluginMigrations = sqliteTable('plugin_migrations', {
  pluginId: text('plugin_id').notNull(),
  step: integer('step').notNull(),
  version: text('version').notNull(),
  appliedAt: integer('applied_at').notNull(),
}, (t) => [primaryKey({ columns: [t.pluginId, t.step] })]);

/** At-least-once delivery of outbox events to each plugin that listens, with retries. */
export const pluginDeliveries = sqliteTable('plugin_deliveries', {
  eventId: text('event_id').notNull().references(() => outboxEvents.id),
  pluginId: text('plugin_id').notNull(),
  attempts: integer('attempts').notNull().default(0),
  deliveredAt: integer('delivered_at'),
  lastError: text('last_error'),
  nextAttemptAt: integer('next_attempt_at').notNull(),
}, (t) => [primaryKey({ columns: [t.eventId, t.pluginId] }), index('plugin_deliveries_due').on(t.deliveredAt, t.nextAttemptAt)]);

/** How many plugins may hold something in one order's batch (see pluginGuards). */
export const pluginGuardSlots = 8;

/**
 * The `expect` guards of plugin reservations (reserveOrder). Like invariant_guards, rows live only
 * inside the order's batch. Slot k is the k-th reserving plugin of that batch, and each slot has
 * its own named CHECK, so a failed guard says whose hold could not be had (`plugin_guard_k`).
 */
export const pluginGuards = sqliteTable('plugin_guards', {
  slot: integer('slot').notNull(),
  holds: integer('holds').notNull(),
}, (t) => [
  check('plugin_guards_slot', sql`${t.slot} >= 0 AND ${t.slot} < ${sql.raw(String(pluginGuardSlots))}`),
  ...Array.from({ length: pluginGuardSlots }, (_, k) => check(`plugin_guard_${k}`, sql`${t.slot} <> ${sql.raw(String(k))} OR ${t.holds} = 1`)),
]);
