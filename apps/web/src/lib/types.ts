/** Response shapes of the API routes this app calls (see apps/api/src/routes). */

import type { DistributionSettings, PayoutMethod } from '@tuike/distribution';

export interface ShopSummary {
  slug: string;
  name: string;
  plan: string;
  status: string;
}

export interface ShopInfo {
  slug: string;
  name: string;
  locale: string;
  plan: string;
}

export interface ShopLinks {
  storefrontUrl: string;
  adminUrl: string;
  storefrontPathUrl: string;
  adminPathUrl: string;
}

export interface Account {
  id: string;
  email: string;
}

export interface SignupResponse extends ShopLinks {
  account: Account;
  shop: ShopSummary;
}

export interface PlatformMe {
  account: Account;
  shops: (ShopSummary & ShopLinks)[];
}

/** An attribute or spec of a product type (or a product's specs): a name and its values. */
export interface NamedValues {
  name: string;
  values: string[];
}

export interface Category {
  id: string;
  parentId: string | null;
  name: string;
  typeId: string | null;
  position: number;
}

/** GET /api/admin/categories and GET /api/catalog: roots with their children (two levels). */
export interface CategoryRoot extends Category {
  children: Category[];
}

export interface ProductType {
  id: string;
  name: string;
  attributes: NamedValues[];
  specs: NamedValues[];
}

export type ShelfStatus = 'on' | 'off';

/** One row of a product list (admin and storefront); prices in fen. */
export interface ProductListItem {
  id: string;
  title: string;
  subtitle: string;
  cover: string | null;
  priceMin: number;
  priceMax: number;
  marketPrice: number | null;
  sales: number;
  status: ShelfStatus;
  stock: number;
  categoryId: string;
}

export interface ProductPage {
  items: ProductListItem[];
  nextCursor: string | null;
}

export type ProductSort = 'relevance' | 'sales' | 'price_asc' | 'price_desc' | 'newest';

/** The storefront home: the category tree and the best sellers. */
export interface Catalog {
  categories: CategoryRoot[];
  products: ProductListItem[];
  nextCursor: string | null;
}

/** A product as the admin edits it (GET /api/admin/products/:id). */
export interface AdminProduct {
  id: string;
  categoryId: string;
  typeId: string | null;
  title: string;
  subtitle: string;
  descriptionHtml: string;
  images: string[];
  attributes: Record<string, string>;
  specs: NamedValues[];
  priceMin: number;
  priceMax: number;
  marketPrice: number | null;
  status: ShelfStatus;
  sales: number;
  lowStockThreshold: number;
  autoOffShelf: boolean;
}

export interface AdminSku {
  id: string;
  specKey: string;
  specs: Record<string, string>;
  price: number;
  marketPrice: number | null;
  stock: number;
}

export interface AdminProductDetail {
  product: AdminProduct;
  skus: AdminSku[];
}

/** What POST /api/admin/products and PUT /api/admin/products/:id take. */
export interface ProductSaveInput {
  title: string;
  subtitle: string;
  categoryId: string;
  descriptionHtml: string;
  images: string[];
  attributes: Record<string, string>;
  specs: NamedValues[];
  skus: { specs: Record<string, string>; price: number; marketPrice: number | null; stock: number }[];
  marketPrice: number | null;
  status: ShelfStatus;
  lowStockThreshold: number;
  autoOffShelf: boolean;
}

export interface UploadedImage {
  key: string;
  contentType: string;
  width: number | null;
  height: number | null;
}

export interface LowStockItem {
  skuId: string;
  specs: Record<string, string>;
  stock: number;
  productId: string;
  title: string;
  threshold: number;
  status: string;
}

/** A product on the shelf as a buyer sees it (GET /api/catalog/products/:id). */
export interface StoreProduct {
  id: string;
  title: string;
  subtitle: string;
  descriptionHtml: string;
  images: string[];
  attributes: Record<string, string>;
  specs: NamedValues[];
  priceMin: number;
  priceMax: number;
  marketPrice: number | null;
  sales: number;
  categoryId?: string;
}

export interface StoreSku {
  id: string;
  specs: Record<string, string>;
  price: number;
  marketPrice: number | null;
  stock: number;
}

export interface StoreProductDetail {
  product: StoreProduct;
  skus: StoreSku[];
}

export interface Member {
  id: string;
  username: string;
  nickname: string | null;
  channel: string;
}

export interface StaffRole {
  id: string;
  name: string;
  builtin: string | null;
}

export interface Staff {
  id: string;
  email: string;
  name: string;
  isOwner: boolean;
  roles: StaffRole[];
  permissions: string[];
}

export interface AdminMe {
  staff: Staff;
  shop: ShopSummary;
}

export interface PermissionLabel {
  key: string;
  zh: string;
  en: string;
}

export interface AuditItem {
  id: string;
  staffId: string | null;
  staffName: string;
  entity: string;
  entityId: string;
  action: string;
  before: unknown;
  after: unknown;
  ip: string | null;
  createdAt: number;
}

export interface AuditPage {
  items: AuditItem[];
  nextCursor: string | null;
}

/* ── Buying (C1–C5): addresses, cart, checkout, payments, orders ─────────────────────────── */

/** A buyer's delivery address (GET /api/member/addresses). */
export interface Address {
  id: string;
  name: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
  isDefault: boolean;
}

/** What POST /api/member/addresses takes. */
export type AddressInput = Omit<Address, 'id' | 'isDefault'> & { isDefault?: boolean };

/** The address frozen on an order (and echoed by a checkout preview): no id, no default flag. */
export type OrderAddress = Partial<Record<'name' | 'phone' | 'province' | 'city' | 'district' | 'detail', string>>;

/** A row of the cart; title/unitPrice are null when the SKU no longer exists. */
export interface CartItem {
  id: string;
  skuId: string;
  quantity: number;
  title: string | null;
  specs: Record<string, string>;
  image: string | null;
  unitPrice: number | null;
  stock: number;
  /** On the shelf with enough stock for the quantity: only these are priced. */
  available: boolean;
}

/** A priced line (cart, preview). */
export interface PricedLine {
  skuId: string;
  productId: string;
  title: string;
  specs: Record<string, string>;
  image: string | null;
  unitPrice: number;
  quantity: number;
  lineTotal: number;
  discount: number;
  paidAmount: number;
  /** The plugin offers on this line (flash price, a coupon spread over some lines, …). */
  offers?: Offer[];
}

/** A plugin's offer as the cart and preview show it: merged per plugin and ref, label localized. */
export interface Offer {
  pluginId: string;
  kind: string;
  label: string;
  amount: number;
  points: number;
  ref: string | null;
}

/** A gift a plugin adds to the order (a campaign's 满赠). */
export interface Gift {
  pluginId: string;
  skuId: string;
  quantity: number;
  label: string;
}

export interface Totals {
  itemsTotal: number;
  discountTotal: number;
  shippingFee: number;
  payTotal: number;
  /** Points spent on this order (the points plugin's offset); 0 or absent when none. */
  pointsUsed?: number;
}

export interface Adjustment {
  label: string;
  amount: number;
}

export interface ShippingRule {
  mode: 'flat' | 'free_over';
  fee: number;
  freeThreshold: number;
}

export interface Cart {
  items: CartItem[];
  lines: PricedLine[];
  totals: Totals;
  adjustments: Adjustment[];
  offers?: Offer[];
  gifts?: Gift[];
  shipping: ShippingRule;
}

export interface CheckoutPreview {
  lines: PricedLine[];
  totals: Totals;
  adjustments: Adjustment[];
  offers?: Offer[];
  gifts?: Gift[];
  address: OrderAddress | null;
}

export interface SubmitResult {
  order: { id: string; orderNo: string; status: OrderStatus; payTotal: number };
  payment: { intentId: string; provider: string };
}

export type PaymentIntentStatus = 'pending' | 'succeeded' | 'failed' | 'closed';

/** GET /api/payments/sandbox/:intentId: the sandbox cashier. */
export interface SandboxPayment {
  intent: { id: string; amount: number; status: PaymentIntentStatus };
  order: { id: string; orderNo: string; status: OrderStatus };
}

export const ORDER_STATUSES = ['pending_payment', 'paid', 'shipped', 'received', 'completed', 'cancelled', 'closed', 'refunding', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderLine {
  id?: string;
  skuId?: string;
  productId?: string;
  title: string;
  specs: Record<string, string>;
  image: string | null;
  unitPrice: number;
  quantity: number;
  discount?: number;
  paidAmount: number;
  refundedAmount?: number;
}

export interface Order {
  id: string;
  orderNo: string;
  status: OrderStatus;
  payTotal: number;
  itemsTotal: number;
  discountTotal?: number;
  shippingFee: number;
  address?: OrderAddress;
  remark?: string;
  expiresAt: number;
  paidAt?: number | null;
  closedAt?: number | null;
  shippedAt?: number | null;
  receivedAt?: number | null;
  completedAt?: number | null;
  createdAt: number;
}

export interface OrderListItem extends Order {
  lines: OrderLine[];
}

export interface OrderPage {
  items: OrderListItem[];
  nextCursor: string | null;
}

export interface OrderDetail {
  order: Order;
  lines: OrderLine[];
  payment: { intentId: string; status: PaymentIntentStatus; provider: string } | null;
  shipment?: BuyerShipment | null;
}

/* ── Orders in the admin (C5, C6, C8): GET /api/admin/orders… (apps/api/src/routes/admin-orders.ts) ── */

export const MEMBER_CHANNELS = ['wechat', 'h5', 'app'] as const;
export type MemberChannel = (typeof MEMBER_CHANNELS)[number];

/** An order row as the merchant sees it: every column, the merchant's own remark included. */
export interface AdminOrder {
  id: string;
  orderNo: string;
  memberId: string;
  status: OrderStatus;
  channel: MemberChannel;
  itemsTotal: number;
  discountTotal: number;
  shippingFee: number;
  payTotal: number;
  address: OrderAddress;
  /** The buyer's remark. */
  remark: string;
  /** The merchant's note, never shown to the buyer. */
  merchantRemark: string;
  distributorShopId: string | null;
  expiresAt: number;
  paidAt: number | null;
  closedAt: number | null;
  shippedAt: number | null;
  receivedAt: number | null;
  completedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface AdminOrderLine extends OrderLine {
  id: string;
  orderId: string;
  refundedAmount: number;
}

export interface AdminOrderListItem extends AdminOrder {
  lines: AdminOrderLine[];
}

/** 30 orders a page, newest first. */
export interface AdminOrderPage {
  items: AdminOrderListItem[];
  nextCursor: string | null;
}

export interface AdminPayment {
  id: string;
  orderId: string;
  provider: 'sandbox' | 'wechat' | 'alipay' | 'offline';
  amount: number;
  status: PaymentIntentStatus;
  externalId: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface Shipment {
  id: string;
  orderId: string;
  carrier: string;
  trackingNo: string;
  logistics: { at: number; text: string }[];
  createdAt: number;
}

export interface AdminOrderDetail {
  order: AdminOrder;
  lines: AdminOrderLine[];
  payments: AdminPayment[];
  shipment: Shipment | null;
}

export const SHIP_ROW_CODES = ['MALFORMED_ROW', 'DUPLICATE_ROW', 'UNKNOWN_ORDER', 'NOT_SHIPPABLE', 'ALREADY_SHIPPED'] as const;
export type ShipRowCode = (typeof SHIP_ROW_CODES)[number];

/** One CSV row's outcome; `line` counts the file's records from 1, the header included. */
export type ShipRowOutcome =
  | { line: number; orderNo: string; outcome: 'shipped' }
  | { line: number; orderNo: string; outcome: 'error'; code: ShipRowCode };

/** POST /api/admin/orders/ship-batch. */
export interface ShipBatchReport {
  rows: ShipRowOutcome[];
  shipped: number;
  failed: number;
}

/* ── After-sales, reviews, notifications, settings, shared carts (C7–C10) ─────────────────── */

export const AFTER_SALE_STATUSES = ['requested', 'awaiting_return', 'returned', 'refunded', 'exchanged', 'rejected', 'cancelled'] as const;
export type AfterSaleStatus = (typeof AFTER_SALE_STATUSES)[number];
export type AfterSaleKind = 'refund' | 'return_refund' | 'exchange';

export interface AfterSaleLine {
  lineId: string;
  quantity: number;
  amount: number;
}

export interface AfterSale {
  id: string;
  orderId: string;
  kind: AfterSaleKind;
  status: AfterSaleStatus;
  reason: string;
  images: string[];
  amount: number;
  lines: AfterSaleLine[];
  rejectReason: string | null;
  returnCarrier: string | null;
  returnTrackingNo: string | null;
  createdAt: number;
}

/** The buyer's view of an order's parcel (GET /api/orders/:id). */
export interface BuyerShipment {
  carrier: string;
  trackingNo: string;
  logistics: { at: number; text: string }[];
}

export interface Review {
  id: string;
  rating: number;
  text: string;
  images: string[];
  createdAt: number;
}

export interface ProductReviews {
  count: number;
  average: number | null;
  items: Review[];
}

export interface AdminReview extends Review {
  orderLineId: string;
  productId: string;
  memberId: string;
  hidden: boolean;
}

export interface Notice {
  id: string;
  type: string;
  title: string;
  body: string;
  ref: string | null;
  readAt: number | null;
  createdAt: number;
}

export interface NoticeList {
  items: Notice[];
  unread: number;
}

export interface SharedCartItem {
  skuId: string;
  quantity: number;
  title: string | null;
  specs: Record<string, string>;
  image: string | null;
  price: number | null;
  available: boolean;
}

/** GET /api/admin/settings: the stored keys (wechat masked). */
export interface ShopSettings {
  shipping?: ShippingRule;
  orderTimeoutMinutes?: number;
  shopName?: string;
  locale?: 'zh-CN' | 'en';
  timezone?: string;
  wechat?: { appId: string; appSecret: string };
}

/* ── Distribution (D1–D12): /api/distribution/… (apps/api/src/routes/distribution.ts) ─────── */

export type { DistributionSettings, PayoutMethod };

/** Per level 1–3: basis points of what the buyer paid for the line, or fen per unit. */
export type CommissionRule = DistributionSettings['defaultRule'];

/** GET /api/distribution/program: what members see before they join (D1, D12). */
export interface DistributionProgram {
  enabled: boolean;
  eligibility: DistributionSettings['eligibility'];
  levels: number;
  rules: CommissionRule;
  capBps: number;
  freezeDays: number;
  withdrawal: DistributionSettings['withdrawal'];
  rulesText: string;
  /** Always 0: joining never costs anything. */
  fee: number;
}

export const DISTRIBUTOR_STATUSES = ['pending', 'active', 'rejected', 'disabled'] as const;
export type DistributorStatus = (typeof DISTRIBUTOR_STATUSES)[number];

/** GET /api/distribution/status. */
export interface DistributionStanding {
  status: DistributorStatus | 'none';
  rejectReason: string | null;
  inviteCode: string | null;
  /** The distributor shop this member is bound to, if any. */
  boundTo: string | null;
}

/** A distributor's money by state, in fen (D7, D9). */
export interface Wallet {
  pending: number;
  frozen: number;
  available: number;
  reserved: number;
  withdrawn: number;
  debt: number;
}

export type ShopScope = 'all' | 'selected';

/** GET /api/distribution/me: the distributor centre's front page (D10). */
export interface DistributorMe {
  status: 'active' | 'disabled';
  inviteCode: string;
  /** The shop's absolute share link (`…/d/{code}`). */
  link: string;
  shop: { name: string; logo: string | null; banner: string | null; scope: ShopScope; productIds: string[] };
  grade: string | null;
  wallet: Wallet;
  team: { level1: number; level2: number; level3: number; customers: number };
  sales: { own: number; team: number; orders: number };
  payoutAccount: ({ method?: string } & Record<string, string>) | null;
}

/** GET /api/distribution/shops/:code: a distributor's public shop (D2). */
export interface DistributorShop {
  shop: { name: string; logo: string | null; banner: string | null; owner: string | null; avatar: string | null; inviteCode: string };
  products: { id: string; title: string; image: string | null; price: number; marketPrice: number | null; sales: number }[];
}

export type VisitOutcome = 'bound' | 'rebound' | 'kept' | 'ignored' | 'remembered';

export const COMMISSION_STATUSES = ['awaiting_payment', 'pending', 'frozen', 'settled', 'cancelled'] as const;
export type CommissionStatus = (typeof COMMISSION_STATUSES)[number];

/** A row of GET /api/distribution/commissions (column names as stored). */
export interface CommissionItem {
  id: string;
  level: number;
  base: number;
  rate_mode: 'bps' | 'fixed';
  rate: number;
  amount: number;
  reversed: number;
  status: CommissionStatus;
  settle_after: number | null;
  created_at: number;
  order_no: string;
  title: string;
}

/** A row of GET /api/distribution/team?level=. */
export interface TeamMember {
  nickname: string | null;
  avatar: string | null;
  shopName: string;
  joinedAt: number;
  sales: number;
  recruits: number;
}

/** A row of GET /api/distribution/orders: an order sold through my shop, buyer masked. */
export interface ShopOrder {
  orderNo: string;
  status: OrderStatus;
  payTotal: number;
  createdAt: number;
  buyer: string;
  /** What this order still pays me (after refunds). */
  commission: number;
}

/** A row of GET /api/distribution/statements (column names as stored). */
export interface SettlementStatement {
  period: string;
  commissions: number;
  amount: number;
  debt_paid: number;
  created_at: number;
}

export interface LeaderboardEntry {
  rank: number;
  shopName: string;
  nickname: string;
  avatar: string | null;
  sales: number;
}

export type LeaderboardPeriod = 'week' | 'month' | 'all';

export const WITHDRAWAL_STATUSES = ['pending', 'approved', 'paying', 'paid', 'rejected', 'failed'] as const;
export type WithdrawalStatus = (typeof WITHDRAWAL_STATUSES)[number];

/** A row of GET /api/distribution/withdrawals (column names as stored). */
export interface Withdrawal {
  id: string;
  amount: number;
  fee: number;
  net: number;
  method: PayoutMethod;
  status: WithdrawalStatus;
  reason: string | null;
  created_at: number;
  updated_at: number;
}

/** GET /api/distribution/earn/:productId: my commission on one unit of each SKU. */
export interface ProductEarnings {
  items: { skuId: string; specs: Record<string, string>; price: number; commission: number }[];
  active: boolean;
}

export type MaterialKind = 'single' | 'multi' | 'nine';

/** Admin-made share material (D11), as GET /api/distribution/materials lists it. */
export interface ShareMaterial {
  id: string;
  kind: MaterialKind;
  title: string;
  text: string;
  images: string[];
  product_id: string | null;
  created_at: number;
}

/* ── Distribution in the admin: /api/admin/… (apps/api/src/routes/admin-distribution.ts) ──── */

/** GET/PUT /api/admin/distribution/settings: the settings and what the platform never lets change. */
export interface DistributionSettingsResponse {
  settings: DistributionSettings;
  timeZone?: string;
  limits: { maxLevels: number; maxCapBps: number; payoutMethods: PayoutMethod[]; entryFee: false; recruitReward: false };
}

/** A row of GET /api/admin/distributors (30 a page, newest application first). */
export interface AdminDistributor {
  memberId: string;
  nickname: string | null;
  username: string;
  avatarUrl: string | null;
  status: DistributorStatus;
  shopName: string;
  inviteCode: string | null;
  applyNote: string;
  rejectReason: string | null;
  appliedAt: number;
  approvedAt: number | null;
  parentId: string | null;
  grade: { id: string; name: string; rank: number } | null;
  directCount: number;
  teamL2Count: number;
  teamL3Count: number;
  ownSales: number;
  teamSales: number;
  ownOrders: number;
  wallet: Wallet | null;
}

export interface AdminTeamMember {
  memberId: string;
  nickname: string | null;
  shopName: string;
  status: DistributorStatus;
  approvedAt: number | null;
  directCount: number;
  ownSales: number;
  teamSales: number;
}

/** A commission row in the admin (GET /api/admin/commissions, 50 a page; and a distributor's recent ones). */
export interface AdminCommission {
  id: string;
  orderId: string;
  orderNo: string;
  orderLineId?: string;
  distributorId?: string;
  distributorName?: string | null;
  shopName?: string | null;
  level: number;
  base: number;
  rateMode: 'bps' | 'fixed';
  rate: number;
  amount: number;
  reversed: number;
  status: CommissionStatus;
  settleAfter?: number | null;
  settledAt?: number | null;
  settlementPeriod?: string | null;
  createdAt: number;
}

/** GET /api/admin/distributors/:id. */
export interface AdminDistributorDetail {
  distributor: AdminDistributor & { payoutAccount: Record<string, string> | null };
  upline: { level: number; memberId: string; nickname: string | null; shopName: string; status: DistributorStatus }[];
  team: { counts: { level1: number; level2: number; level3: number }; level1: { items: AdminTeamMember[]; nextCursor: string | null } };
  wallet: Wallet | null;
  recentCommissions: AdminCommission[];
  boundCustomers: number;
}

export interface SettlementRun {
  period: string;
  periodEnd: number;
  distributors: number;
  amount: number;
  ranAt: number;
}

export interface SettlementRunDetail {
  run: SettlementRun;
  items: { distributorId: string; distributorName: string | null; shopName: string | null; commissions: number; amount: number; debtPaid: number; createdAt: number }[];
  nextCursor: string | null;
}

/** A withdrawal as staff review it (GET /api/admin/withdrawals, 50 a page). */
export interface AdminWithdrawal {
  id: string;
  distributorId: string;
  distributorName: string | null;
  shopName: string | null;
  amount: number;
  fee: number;
  net: number;
  method: PayoutMethod;
  account: Record<string, string>;
  status: WithdrawalStatus;
  batchId: string | null;
  reason: string | null;
  externalId: string | null;
  reviewedBy: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface PayoutBatch {
  id: string;
  title: string;
  method: PayoutMethod;
  items: number;
  amount: number;
  createdBy: string;
  createdByName: string | null;
  createdAt: number;
}

export interface PayoutBatchDetail {
  batch: PayoutBatch;
  byStatus: { status: WithdrawalStatus; items: number; amount: number }[];
  items: AdminWithdrawal[];
  nextCursor: string | null;
}

export interface DistributorGrade {
  id: string;
  name: string;
  rank: number;
  rates: CommissionRule | null;
  minSales: number | null;
  minTeam: number | null;
  minDirect: number | null;
  match: 'all' | 'any';
  holders: number;
}

export type RuleScope = 'product' | 'category';

/** A product or category commission rule (GET /api/admin/distribution/rules). */
export interface CommissionOverride {
  scope: RuleScope;
  targetId: string;
  rule: CommissionRule;
  name: string | null;
  targetMissing: boolean;
  updatedAt: number;
}

export interface AdminMaterial {
  id: string;
  kind: MaterialKind;
  title: string;
  text: string;
  images: string[];
  productId: string | null;
  productTitle?: string | null;
  createdAt: number;
  updatedAt: number;
}
