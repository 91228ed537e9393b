import type { GenericSchema } from 'valibot';
import type { Capability, EventName, WidgetSlot } from './capabilities';
import type { Localized } from './settings-fields';

/**
 * The hook contract. All money is integer fen, all rates basis points, all times UTC epoch
 * milliseconds. Synchronous hooks are pure: the same input gives the same output, they do no I/O
 * and keep no state between calls — the platform calls them for the cart, the checkout preview
 * and the order placement alike and charges what it showed.
 */

/** Read-only view of a plugin's own types (settings, state, choice); `unknown` stays `unknown`. */
export type Frozen<T> = unknown extends T ? T : Readonly<T>;

/** One cart line as pricing sees it. `lineId` is stable across cart, preview and placement. */
export interface CartLine {
  lineId: string;
  skuId: string;
  productId: string;
  categoryId: string | null;
  quantity: number;
  unitPrice: number;
}

/** The buyer; `tags` only reach plugins granted `member.read`. */
export interface PricingMember {
  id: string;
  tags?: readonly string[];
}

/**
 * Offer classes. Which classes may apply together is the shop's stacking rules, not the plugin's
 * call; `exclusive` never combines with anything.
 */
export const offerClasses = ['exclusive', 'flash', 'member', 'campaign', 'coupon', 'points'] as const;
export type OfferClass = (typeof offerClasses)[number];

export interface PricingInput<S = unknown, St = unknown, C = unknown> {
  readonly lines: readonly Readonly<CartLine>[];
  /** Σ unitPrice × quantity. */
  readonly itemsTotal: number;
  /** Shipping before any discount. */
  readonly shippingFee: number;
  readonly member: Readonly<PricingMember> | null;
  readonly settings: Frozen<S>;
  /** Fixed for the whole call; use it instead of `Date.now()`. */
  readonly now: number;
  /** What `loadState` returned for this cart (say, the buyer's unused coupons). */
  readonly state: Frozen<St>;
  /** What the buyer chose for this plugin at checkout (a coupon id, points to spend), checked against the manifest's `choice` schema; null when none. */
  readonly choice: Frozen<C> | null;
}

interface OperationCommon {
  /** Shown beside the discount in cart and order. */
  label: Localized;
  combinesWith: OfferClass;
  /**
   * Within a class the offer with the highest priority wins (then the larger total amount); an
   * offer's priority is the highest of its operations'.
   */
  priority: number;
  /**
   * The plugin's own reference, returned with the order (a coupon id to redeem). Operations of one
   * class with the same ref are one offer: the stacking rules keep or drop them together (a coupon
   * spread over several lines counts once, at its whole amount). Give different refs to discounts
   * that should compete on their own; an operation without a ref is an offer by itself.
   */
  ref?: string;
}

export type PricingOperation = OperationCommon & (
  | { kind: 'line_discount'; lineId: string; amount: number }
  | { kind: 'order_discount'; amount: number }
  | { kind: 'shipping_discount'; amount: number }
  | { kind: 'gift'; skuId: string; quantity: number }
  | { kind: 'points_redemption'; points: number; amount: number }
);
export type PricingOperationKind = PricingOperation['kind'];

export type PricingHook<S = unknown, St = unknown, C = unknown> = (input: PricingInput<S, St, C>) => readonly PricingOperation[];

/** A refusal the buyer reads. `code` is the plugin's own, UPPER_SNAKE (e.g. `COUPON_EXPIRED`). */
export interface Veto {
  code: string;
  message: Localized;
}
export type InterceptResult = { veto?: Veto } | undefined | void;

export interface AddToCartContext<S = unknown, St = unknown> {
  readonly member: Readonly<PricingMember> | null;
  readonly sku: Readonly<{ skuId: string; productId: string; categoryId: string | null; unitPrice: number }>;
  /** The quantity of this SKU the cart would hold after the add. */
  readonly quantity: number;
  readonly lines: readonly Readonly<CartLine>[];
  readonly settings: Frozen<S>;
  readonly now: number;
  readonly state: Frozen<St>;
}

/** What the buyer is about to be charged, as resolved by the platform. */
export interface PricedSummary {
  readonly itemsTotal: number;
  readonly discountTotal: number;
  readonly shippingFee: number;
  readonly payTotal: number;
  /** This plugin's own operations that were applied, with the amounts actually given. */
  readonly applied: readonly Readonly<{ kind: PricingOperationKind; amount: number; points?: number; ref?: string }>[];
}

export interface PlaceOrderContext<S = unknown, St = unknown, C = unknown> {
  readonly member: Readonly<PricingMember> | null;
  readonly lines: readonly Readonly<CartLine>[];
  readonly priced: PricedSummary;
  readonly settings: Frozen<S>;
  readonly now: number;
  readonly state: Frozen<St>;
  readonly choice: Frozen<C> | null;
}

/** A placed line: the cart line plus the order line it became and what the buyer pays for it. */
export interface PlacedCartLine extends CartLine {
  orderLineId: string;
  paidAmount: number;
}

export interface ReserveContext<S = unknown, St = unknown, C = unknown> extends Omit<PlaceOrderContext<S, St, C>, 'lines'> {
  readonly orderId: string;
  readonly orderNo: string;
  readonly lines: readonly Readonly<PlacedCartLine>[];
}

/**
 * A write on the plugin's own tables that must happen with the order or not at all. `expect`
 * says how many rows the statement must change (a guarded counter: `UPDATE … SET sold = sold + 2
 * WHERE id = ? AND sold + 2 <= stock` expects 1); a different count, or any CHECK or UNIQUE
 * constraint of the plugin's tables failing, refuses the whole order with `refusal`.
 */
export interface ReservedStatement extends PluginStatement {
  expect?: number;
}

export interface Reservation {
  statements: readonly ReservedStatement[];
  /** What the buyer reads when the reservation cannot be had (sold out, coupon already used). */
  refusal: Veto;
}

/**
 * reserveOrder: pure, like the other synchronous hooks — it returns statements, the platform
 * checks them against the plugin's tables and runs them inside the order's own write batch. It
 * is how a plugin holds what the price promised (flash-sale units, a coupon, points) so that two
 * buyers can never both get the last one: the order and the hold commit together or neither.
 */
export type ReserveResult = Reservation | null | undefined | void;

/** Structurally the same as `ProposedCommission` in @tuike/distribution. */
export interface ProposedCommission {
  lineId: string;
  distributorId: string;
  level: 1 | 2 | 3;
  base: number;
  rateMode: 'bps' | 'fixed';
  rate: number;
  amount: number;
}

/** Structurally the same as `CommissionAdjuster` in @tuike/distribution: pure, returns the lines changed. */
export type CommissionAdjuster = (proposed: readonly ProposedCommission[]) => readonly ProposedCommission[];

export interface CommissionContext<S = unknown> {
  readonly settings: Frozen<S>;
  readonly now: number;
}

/** Values a statement binds and rows hold. */
export type SqlValue = null | string | number | bigint | boolean | Uint8Array;
export type SqlArgs = readonly SqlValue[] | Readonly<Record<string, SqlValue>>;
export type SqlRowValue = null | string | number | bigint | ArrayBuffer;

export interface PluginStatement {
  sql: string;
  args?: SqlArgs;
}

export interface PluginResult {
  readonly columns: readonly string[];
  readonly rows: readonly Readonly<Record<string, SqlRowValue>>[];
  readonly rowsAffected: number;
}

/**
 * The database as a plugin sees it: its own `plg_{id}_` tables, plus SELECT on the core tables its
 * read capabilities grant. A statement naming anything else is refused before it runs.
 */
export interface PluginDb {
  /** One statement. */
  execute(sql: string, args?: SqlArgs): Promise<PluginResult>;
  /** Several statements in one transaction: all apply or none. */
  batch(statements: readonly PluginStatement[]): Promise<PluginResult[]>;
}

export interface PluginLog {
  info(message: string, data?: Readonly<Record<string, unknown>>): void;
  warn(message: string, data?: Readonly<Record<string, unknown>>): void;
  error(message: string, data?: Readonly<Record<string, unknown>>): void;
}

/** What routes and event handlers get: nothing of the platform beyond this. */
export interface PluginContext<S = unknown> {
  readonly pluginId: string;
  readonly shop: Readonly<{ slug: string; timeZone: string }>;
  readonly settings: Frozen<S>;
  readonly db: PluginDb;
  readonly log: PluginLog;
  now(): number;
}

/** `loadState` reads (only reads) what the synchronous hooks will need, once per cart evaluation. */
export interface StateContext<S = unknown, C = unknown> {
  readonly db: PluginDb;
  readonly member: Readonly<PricingMember> | null;
  readonly lines: readonly Readonly<CartLine>[];
  readonly settings: Frozen<S>;
  readonly choice: Frozen<C> | null;
  readonly now: number;
}

interface OrderRef {
  orderId: string;
  orderNo: string;
  memberId: string;
}
export interface EventPayloads {
  'order.placed': OrderRef & {
    payTotal: number;
    lines: readonly Readonly<{ lineId: string; skuId: string; productId: string; quantity: number; paidAmount: number }>[];
    /** This plugin's own applied operations (coupon refs to mark used, points to deduct). */
    applied: PricedSummary['applied'];
  };
  /** `itemsPaid`: what the buyer paid for the items (the lines' paid amounts: after every discount, before shipping). */
  'order.paid': OrderRef & { payTotal: number; itemsPaid: number; paidAt: number };
  'order.shipped': OrderRef & { shippedAt: number };
  'order.completed': OrderRef & { payTotal: number; itemsPaid: number; completedAt: number };
  'order.cancelled': OrderRef & { reason: 'buyer' | 'merchant' | 'timeout' };
  'order.refunded': OrderRef & { refundId: string; amount: number; lines: readonly Readonly<{ lineId: string; amount: number }>[] };
  /** `distributorId`: the distributor the member registered through (bound by the registration), else null. */
  'member.registered': { memberId: string; channel: 'wechat' | 'h5' | 'app'; distributorId: string | null };
  /** A distributor is the member's trading unit: both ids are the member's. */
  'distributor.approved': { distributorId: string; memberId: string };
  /** One per commission a settlement run settled; `amount`: what it settled (after reversals), in fen. */
  'commission.settled': { distributorId: string; orderId: string; amount: number };
  /** `amount`: what reached the distributor (the withdrawal less its fee), in fen. */
  'withdrawal.paid': { withdrawalId: string; distributorId: string; amount: number };
}

/**
 * Delivered after the change committed, at least once: a handler may see the same `id` again
 * and must make its effect idempotent by it (a UNIQUE column in its own table does that).
 */
export interface PluginEvent<E extends EventName = EventName> {
  readonly id: string;
  readonly type: E;
  readonly occurredAt: number;
  readonly payload: Readonly<EventPayloads[E]>;
}

export type EventHandler<E extends EventName, S = unknown> = (event: PluginEvent<E>, ctx: PluginContext<S>) => Promise<void>;
/** Method-declared, so a plugin typed for its own settings still fits where any plugin is expected. */
interface EventHandlerSlot<E extends EventName, S> {
  handle(event: PluginEvent<E>, ctx: PluginContext<S>): Promise<void>;
}
export type EventHandlers<S = unknown> = { readonly [E in EventName]?: EventHandlerSlot<E, S>['handle'] };

/**
 * The hooks. Declared as methods on purpose: that keeps a `PluginDefinition<MySettings>` usable
 * where the platform takes any plugin, while authors still get their own types in each hook.
 */
export interface PluginHooks<S = unknown, St = unknown, C = unknown> {
  /** Reads (only reads) what the synchronous hooks need, once per cart evaluation. */
  loadState?(ctx: StateContext<S, C>): Promise<St>;
  pricing?(input: PricingInput<S, St, C>): readonly PricingOperation[];
  willAddToCart?(ctx: AddToCartContext<S, St>): InterceptResult;
  willPlaceOrder?(ctx: PlaceOrderContext<S, St, C>): InterceptResult;
  /** Writes to the plugin's own tables that commit in the order's batch, or refuse the order. */
  reserveOrder?(ctx: ReserveContext<S, St, C>): ReserveResult;
  /** Pure: sees the proposed commission of one sale, returns it changed (see distribution's rules). */
  adjustCommission?(proposed: readonly ProposedCommission[], ctx: CommissionContext<S>): readonly ProposedCommission[];
  events?: EventHandlers<S>;
}

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface PluginRequest<B = unknown> {
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  /** The JSON body after the route's `input` schema; undefined for routes without one. */
  readonly body: B;
  readonly member: Readonly<{ id: string }> | null;
  readonly staff: Readonly<{ id: string }> | null;
}

export interface PluginResponse {
  status?: number;
  body: JsonValue;
}

/**
 * A route mounted at `/api/plugins/{id}{path}`. `auth` says who may call it: anyone, a signed-in
 * member, or shop staff allowed to manage plugins.
 */
export interface PluginRoute<S = unknown, B = unknown> {
  method: RouteMethod;
  /** `/mine`, `/coupons/:id/claim`: lowercase segments and `:params`. */
  path: string;
  auth: 'public' | 'member' | 'staff';
  input?: GenericSchema<unknown, B>;
  // Method syntax on purpose: a route typed for its own body still fits a list of routes.
  handler(request: PluginRequest<B>, ctx: PluginContext<S>): Promise<PluginResponse>;
}

/** A widget the storefront or admin renders in a slot: a component the platform knows by name. */
export interface WidgetDeclaration {
  slot: WidgetSlot;
  component: string;
  props?: Readonly<Record<string, string | number | boolean | null>>;
}

export type { Capability, EventName, WidgetSlot };
