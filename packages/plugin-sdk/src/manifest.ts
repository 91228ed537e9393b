import * as v from 'valibot';
import {
  capabilities,
  eventCapability,
  eventNames,
  hookCapability,
  isCapability,
  pluginIdPattern,
  readableCoreTables,
  slotCapability,
  stateLoaderCapabilities,
  tablePrefix,
  widgetSlots,
  type Capability,
  type EventName,
} from './capabilities';
import type { PluginHooks, PluginRoute, RouteMethod, WidgetDeclaration } from './hooks';
import { isRange, isVersion } from './semver';
import { noSettings, type Localized, type SettingsFormField, type SettingsSpec } from './settings-fields';
import { sqlAccessProblems } from './sql-access';

/** The version of the hook contract this SDK describes; a plugin's `engine` range must accept it. */
export const ENGINE_VERSION = '1.0.0';

export interface PluginDefinitionInput<S, St, C> {
  /** Lowercase letters, digits and single hyphens; names its tables (`plg_{id}_…`) and routes (`/api/plugins/{id}`). */
  id: string;
  name: Localized;
  description?: Localized | null;
  /** The plugin's own semantic version. */
  version: string;
  /** The platform engine versions it works with, as a semver range (`^1.0.0`). */
  engine: string;
  capabilities: readonly Capability[];
  settings?: SettingsSpec<S>;
  /** What a buyer may pick for this plugin at checkout (a coupon id), passed to pricing as `choice`. */
  choice?: v.GenericSchema<unknown, C> | null;
  /** SQL run in order on install and upgrade; every object named `plg_{id}_…`. */
  migrations?: readonly string[];
  /** Routes see settings as `unknown` unless declared with `route<MySettings>(…)`. */
  routes?: readonly PluginRoute<NoInfer<S>, unknown>[];
  widgets?: readonly WidgetDeclaration[];
  hooks?: PluginHooks<NoInfer<S>, St, C>;
  /**
   * Which orders' events the plugin hears. `taken-part` (the default): every order placed while it
   * was enabled. `own-offers`: only orders carrying one of its own applied offers — for a plugin
   * whose events only ever settle what its offer took (a coupon, flash units), so the many orders
   * without its offer cost it nothing. Either for all its order events, or per event
   * (`{ 'order.placed': 'own-offers' }`; events not named take the default).
   */
  orderEvents?: OrderEventScopes;
}

export type OrderEventScope = 'taken-part' | 'own-offers';
export type OrderEventName = 'order.placed' | 'order.paid' | 'order.shipped' | 'order.completed' | 'order.cancelled' | 'order.refunded';
export type OrderEventScopes = OrderEventScope | Readonly<Partial<Record<OrderEventName, OrderEventScope>>>;
const orderEventNames = ['order.placed', 'order.paid', 'order.shipped', 'order.completed', 'order.cancelled', 'order.refunded'] as const satisfies readonly OrderEventName[];

/** The scope in which `def` hears `event` (an order event). */
export function orderEventScope(def: Pick<PluginDefinition, 'orderEvents'>, event: string): OrderEventScope {
  const scopes = def.orderEvents;
  return typeof scopes === 'string' ? scopes : (scopes[event as OrderEventName] ?? 'taken-part');
}

export interface PluginDefinition<S = unknown, St = unknown, C = unknown> {
  readonly id: string;
  readonly name: Readonly<Localized>;
  readonly description: Readonly<Localized> | null;
  readonly version: string;
  readonly engine: string;
  readonly capabilities: readonly Capability[];
  readonly settings: SettingsSpec<S>;
  readonly choice: v.GenericSchema<unknown, C> | null;
  readonly migrations: readonly string[];
  readonly routes: readonly PluginRoute<S, unknown>[];
  readonly widgets: readonly WidgetDeclaration[];
  readonly hooks: Readonly<PluginHooks<S, St, C>>;
  readonly orderEvents: OrderEventScopes;
  /** `plg_{id with underscores}_`. */
  readonly tablePrefix: string;
}

export type ManifestProblemCode =
  | 'PLUGIN_MANIFEST_INVALID'
  | 'PLUGIN_CAPABILITY_UNKNOWN'
  | 'PLUGIN_CAPABILITY_MISSING'
  | 'PLUGIN_TABLE_OUTSIDE_PREFIX'
  | 'PLUGIN_SQL_FORBIDDEN';

export interface ManifestProblem {
  code: ManifestProblemCode;
  /** Where in the definition: `capabilities[2]`, `migrations[0]`, `hooks.pricing`. */
  path: string;
  message: string;
}

export class PluginDefinitionError extends Error {
  constructor(readonly problems: readonly ManifestProblem[]) {
    super(`invalid plugin definition:\n${problems.map((p) => `  ${p.code} at ${p.path}: ${p.message}`).join('\n')}`);
    this.name = 'PluginDefinitionError';
  }
}

const text = (max: number) => v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(max));
const localized = v.strictObject({ zh: text(200), en: text(200) });
const fn = v.custom<(...args: never[]) => unknown>((x) => typeof x === 'function', 'must be a function');
const isSchema = (x: unknown) => typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'schema';
const schemaLike = v.custom<v.GenericSchema>(isSchema, 'must be a valibot schema');
const routeMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const satisfies readonly RouteMethod[];
/** `/`, `/mine`, `/coupons/:id/claim`. */
const routePathPattern = /^\/(?:(?:[a-z0-9][a-z0-9-]{0,39}|:[a-z][a-zA-Z0-9]{0,29})(?:\/(?:[a-z0-9][a-z0-9-]{0,39}|:[a-z][a-zA-Z0-9]{0,29}))*)?$/;
const propValue = v.union([v.pipe(v.string(), v.maxLength(500)), v.pipe(v.number(), v.finite()), v.boolean(), v.null()]);
const formField = v.looseObject({ key: v.string(), type: v.picklist(['string', 'number', 'boolean', 'enum', 'money-fen', 'percent-bps']), label: localized });

const definitionSchema = v.strictObject({
  id: v.pipe(v.string(), v.regex(pluginIdPattern, 'must be 2–31 lowercase letters, digits and single hyphens, starting with a letter')),
  name: localized,
  description: v.optional(v.nullable(v.strictObject({ zh: text(2000), en: text(2000) }))),
  version: v.pipe(v.string(), v.check(isVersion, 'must be a semantic version such as 1.2.3')),
  engine: v.pipe(v.string(), v.check(isRange, 'must be a semver range such as ^1.0.0')),
  capabilities: v.pipe(v.array(v.string()), v.maxLength(64)),
  settings: v.optional(v.strictObject({ schema: schemaLike, form: v.array(formField) })),
  choice: v.optional(v.nullable(schemaLike)),
  migrations: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(200_000))), v.maxLength(500))),
  routes: v.optional(v.pipe(v.array(v.strictObject({
    method: v.picklist(routeMethods),
    path: v.pipe(v.string(), v.regex(routePathPattern, 'must be lowercase segments and :params under /')),
    auth: v.picklist(['public', 'member', 'staff']),
    input: v.optional(schemaLike),
    handler: fn,
  })), v.maxLength(100))),
  widgets: v.optional(v.pipe(v.array(v.strictObject({
    slot: v.picklist(widgetSlots),
    component: v.pipe(v.string(), v.regex(/^[A-Z][A-Za-z0-9]{0,63}$/, 'must be a PascalCase component name')),
    props: v.optional(v.pipe(v.record(v.pipe(v.string(), v.regex(/^[a-zA-Z][a-zA-Z0-9]{0,39}$/)), propValue), v.check((r) => Object.keys(r).length <= 50, 'at most 50 props'))),
  })), v.maxLength(50))),
  hooks: v.optional(v.strictObject({
    loadState: v.optional(fn),
    pricing: v.optional(fn),
    willAddToCart: v.optional(fn),
    willPlaceOrder: v.optional(fn),
    reserveOrder: v.optional(fn),
    adjustCommission: v.optional(fn),
    events: v.optional(v.strictObject(Object.fromEntries(eventNames.map((e) => [e, v.optional(fn)])) as Record<EventName, v.OptionalSchema<typeof fn, undefined>>)),
  })),
  orderEvents: v.optional(v.union([
    v.picklist(['taken-part', 'own-offers']),
    v.strictObject(Object.fromEntries(orderEventNames.map((e) => [e, v.optional(v.picklist(['taken-part', 'own-offers']))])) as Record<OrderEventName, v.OptionalSchema<v.PicklistSchema<['taken-part', 'own-offers'], undefined>, undefined>>),
  ])),
  tablePrefix: v.optional(v.string()),
});
type ParsedDefinition = v.InferOutput<typeof definitionSchema>;

function capabilityProblems(raw: unknown): ManifestProblem[] {
  const list = typeof raw === 'object' && raw !== null ? (raw as { capabilities?: unknown }).capabilities : undefined;
  if (!Array.isArray(list)) return [];
  const problems: ManifestProblem[] = [];
  list.forEach((c: unknown, i) => {
    if (typeof c === 'string' && !isCapability(c)) problems.push({ code: 'PLUGIN_CAPABILITY_UNKNOWN', path: `capabilities[${i}]`, message: `"${c}" is not a capability; known: ${capabilities.join(', ')}` });
    else if (list.indexOf(c) !== i) problems.push({ code: 'PLUGIN_MANIFEST_INVALID', path: `capabilities[${i}]`, message: `"${String(c)}" is listed twice` });
  });
  return problems;
}

function semanticProblems(d: ParsedDefinition): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const granted = new Set(d.capabilities.filter(isCapability));
  const need = (cap: Capability, path: string, what: string) => {
    if (!granted.has(cap)) problems.push({ code: 'PLUGIN_CAPABILITY_MISSING', path, message: `${what} needs the "${cap}" capability` });
  };
  const hooks = d.hooks ?? {};
  for (const [hook, cap] of Object.entries(hookCapability)) if (hooks[hook as keyof typeof hookCapability]) need(cap, `hooks.${hook}`, hook);
  if (hooks.loadState && !stateLoaderCapabilities.some((c) => granted.has(c))) {
    problems.push({ code: 'PLUGIN_CAPABILITY_MISSING', path: 'hooks.loadState', message: `loadState feeds pricing and interceptors: it needs one of ${stateLoaderCapabilities.join(', ')}` });
  }
  const events: Partial<Record<EventName, unknown>> = hooks.events ?? {};
  for (const event of eventNames) if (events[event] !== undefined) need(eventCapability[event], `hooks.events.${event}`, `the ${event} event`);

  const ownOffers = d.orderEvents !== undefined && (typeof d.orderEvents === 'string' ? d.orderEvents === 'own-offers' : Object.values(d.orderEvents).includes('own-offers'));
  if (ownOffers && !hooks.pricing) {
    problems.push({ code: 'PLUGIN_MANIFEST_INVALID', path: 'orderEvents', message: '"own-offers" hears only orders carrying the plugin\'s offers, and a plugin without a pricing hook has none' });
  }

  const seenRoutes = new Set<string>();
  (d.routes ?? []).forEach((r, i) => {
    need('routes', `routes[${i}]`, 'a route');
    const key = `${r.method} ${r.path.replace(/:[^/]+/g, ':')}`;
    if (seenRoutes.has(key)) problems.push({ code: 'PLUGIN_MANIFEST_INVALID', path: `routes[${i}]`, message: `${r.method} ${r.path} is declared twice` });
    seenRoutes.add(key);
    const params = r.path.split('/').filter((s) => s.startsWith(':'));
    if (new Set(params).size !== params.length) problems.push({ code: 'PLUGIN_MANIFEST_INVALID', path: `routes[${i}].path`, message: 'a path names the same parameter twice' });
  });
  (d.widgets ?? []).forEach((w, i) => need(slotCapability(w.slot), `widgets[${i}]`, `a widget in ${w.slot}`));

  const keys = (d.settings?.form ?? []).map((f) => f.key);
  if (new Set(keys).size !== keys.length) problems.push({ code: 'PLUGIN_MANIFEST_INVALID', path: 'settings.form', message: 'two settings fields share a key' });

  const prefix = tablePrefix(d.id);
  if (d.tablePrefix !== undefined && d.tablePrefix !== prefix) problems.push({ code: 'PLUGIN_MANIFEST_INVALID', path: 'tablePrefix', message: `must be ${prefix}` });
  const policy = { prefix, readable: readableCoreTables([...granted]), mode: 'migration' as const };
  (d.migrations ?? []).forEach((sql, i) => {
    const found = sqlAccessProblems(sql, policy);
    if (found.length === 0 && sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|[\s;]/g, '') === '') problems.push({ code: 'PLUGIN_MANIFEST_INVALID', path: `migrations[${i}]`, message: 'the migration is empty' });
    for (const p of found) problems.push({ code: p.code, path: `migrations[${i}]`, message: `${p.message} — in: ${p.statement}` });
  });
  return problems;
}

/** Everything wrong with a would-be plugin definition; empty when it is sound. Never throws. */
export function inspectPlugin(candidate: unknown): ManifestProblem[] {
  const problems = capabilityProblems(candidate);
  const parsed = v.safeParse(definitionSchema, candidate);
  if (!parsed.success) {
    for (const issue of parsed.issues) problems.push({ code: 'PLUGIN_MANIFEST_INVALID', path: v.getDotPath(issue) ?? '(root)', message: issue.message });
    return problems;
  }
  return [...problems, ...semanticProblems(parsed.output)];
}

/** Copies plain data frozen; functions and valibot schemas are kept as they are. */
function frozenCopy<T>(value: T): T {
  if (Array.isArray(value)) return Object.freeze(value.map(frozenCopy)) as T;
  if (typeof value === 'object' && value !== null && !isSchema(value) && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.freeze(Object.fromEntries(Object.entries(value).map(([k, x]) => [k, frozenCopy(x)]))) as T;
  }
  return value;
}

/**
 * The one way to make a plugin: checks the whole definition (capabilities, hooks against them,
 * migrations against the table prefix) and returns it frozen. Throws PluginDefinitionError.
 */
export function definePlugin<S = Record<string, never>, St = undefined, C = null>(def: PluginDefinitionInput<S, St, C>): PluginDefinition<S, St, C> {
  const problems = inspectPlugin(def);
  if (problems.length) throw new PluginDefinitionError(problems);
  return frozenCopy({
    id: def.id,
    name: def.name,
    description: def.description ?? null,
    version: def.version,
    engine: def.engine,
    capabilities: def.capabilities,
    settings: def.settings ?? (noSettings as SettingsSpec<unknown> as SettingsSpec<S>),
    choice: def.choice ?? null,
    migrations: def.migrations ?? [],
    routes: def.routes ?? [],
    widgets: def.widgets ?? [],
    hooks: def.hooks ?? {},
    orderEvents: def.orderEvents ?? 'taken-part',
    tablePrefix: tablePrefix(def.id),
  });
}

/**
 * Declares a route with its body type inferred from `input`:
 * `route({ method: 'POST', path: '/claim', auth: 'member', input: v.object({ code: v.string() }), handler: async ({ body }) => … })`.
 */
export function route<S = unknown, B = undefined>(r: PluginRoute<S, B>): PluginRoute<S, unknown> {
  return r as PluginRoute<S, unknown>;
}

/** The manifest as JSON, for the marketplace listing and the merchant's install screen. */
export interface ManifestJson {
  id: string;
  name: Localized;
  description: Localized | null;
  version: string;
  engine: string;
  capabilities: readonly Capability[];
  settings: readonly SettingsFormField[];
  migrations: readonly string[];
  routes: readonly { method: RouteMethod; path: string; auth: 'public' | 'member' | 'staff' }[];
  widgets: readonly WidgetDeclaration[];
  hooks: readonly string[];
  events: readonly EventName[];
  orderEvents: OrderEventScopes;
}

export function manifestJson(def: PluginDefinition): ManifestJson {
  const { events, ...sync } = def.hooks;
  return {
    id: def.id,
    name: def.name,
    description: def.description,
    version: def.version,
    engine: def.engine,
    capabilities: def.capabilities,
    settings: def.settings.form,
    migrations: def.migrations,
    routes: def.routes.map((r) => ({ method: r.method, path: r.path, auth: r.auth })),
    widgets: def.widgets,
    hooks: Object.keys(sync).filter((k) => sync[k as keyof typeof sync]),
    events: eventNames.filter((e) => events?.[e]),
    orderEvents: def.orderEvents,
  };
}
