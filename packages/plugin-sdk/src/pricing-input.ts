import * as v from 'valibot';
import type { CartLine, InterceptResult, PricingInput, PricingMember, Reservation, Veto } from './hooks';
import type { PluginDefinition } from './manifest';

/**
 * Builds the input of a plugin's synchronous hooks exactly as the platform does, so the test kit
 * and the checkout agree: settings parsed (defaults filled), the buyer's choice checked against
 * the plugin's schema (null when it does not fit), member tags only with `member.read`, and
 * everything frozen — a hook cannot change what the next plugin sees. State is frozen in place
 * (the platform reuses it for cart, preview and placement), so keep it plain data.
 */
export interface PricingCall {
  lines: readonly CartLine[];
  shippingFee: number;
  member: PricingMember | null;
  /** Stored settings; parsed here. */
  settings: unknown;
  state: unknown;
  /** What the buyer submitted for this plugin, unchecked. */
  choice: unknown;
  now: number;
}

export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  // Loops rather than Object.values: every hook call freezes a few fresh objects, and the arrays
  // those would allocate showed in checkout's profile.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
    return Object.freeze(value);
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const record = value as Record<string, unknown>;
  for (const key in record) deepFreeze(record[key]);
  return Object.freeze(value);
}

export function memberFor(plugin: Pick<PluginDefinition, 'capabilities'>, member: PricingMember | null): PricingMember | null {
  if (!member) return null;
  return plugin.capabilities.includes('member.read') && member.tags ? { id: member.id, tags: [...member.tags] } : { id: member.id };
}

export function choiceFor<C>(plugin: Pick<PluginDefinition<unknown, unknown, C>, 'choice'>, choice: unknown): C | null {
  if (!plugin.choice || choice === undefined || choice === null) return null;
  const parsed = v.safeParse(plugin.choice, choice);
  return parsed.success ? parsed.output : null;
}

/** Parsed settings by schema and stored JSON: every hook call of every request asks again. */
const parsedSettings = new WeakMap<object, Map<string, unknown>>();
/** The same, by a frozen stored object itself (the platform freezes the installs it parses): no JSON to make. */
const parsedByObject = new WeakMap<object, WeakMap<object, unknown>>();

/**
 * The plugin's settings, defaults filled, frozen (shared by every call that stored the same).
 * Throws a valibot ValiError when stored settings no longer fit the schema.
 */
export function settingsFor<S>(plugin: Pick<PluginDefinition<S>, 'settings'>, stored: unknown): S {
  const schema = plugin.settings.schema as object;
  // Only a frozen object can be known by identity: one a caller may still change could not.
  const frozen = typeof stored === 'object' && stored !== null && Object.isFrozen(stored) ? stored : null;
  if (frozen) {
    const hit = parsedByObject.get(schema)?.get(frozen);
    if (hit !== undefined) return hit as S;
  }
  const key = JSON.stringify(stored ?? {});
  let bySchema = parsedSettings.get(schema);
  if (!bySchema) parsedSettings.set(schema, (bySchema = new Map()));
  let parsed = bySchema.get(key) as S | undefined;
  if (parsed === undefined) {
    parsed = deepFreeze(v.parse(plugin.settings.schema, stored ?? {}));
    if (bySchema.size >= 200) bySchema.clear();
    bySchema.set(key, parsed);
  }
  if (frozen) {
    let byObject = parsedByObject.get(schema);
    if (!byObject) parsedByObject.set(schema, (byObject = new WeakMap()));
    byObject.set(frozen, parsed);
  }
  return parsed;
}

export function pricingInputFor<S, St, C>(plugin: PluginDefinition<S, St, C>, call: PricingCall): PricingInput<S, St, C> {
  const lines = call.lines.map((l) => ({ ...l }));
  return deepFreeze({
    lines,
    itemsTotal: lines.reduce((a, l) => a + l.unitPrice * l.quantity, 0),
    shippingFee: call.shippingFee,
    member: memberFor(plugin, call.member),
    settings: settingsFor(plugin, call.settings),
    now: call.now,
    state: call.state as St,
    choice: choiceFor(plugin, call.choice),
  });
}

const vetoSchema = v.strictObject({
  code: v.pipe(v.string(), v.regex(/^[A-Z][A-Z0-9_]{2,47}$/, 'must be UPPER_SNAKE_CASE')),
  message: v.strictObject({ zh: v.pipe(v.string(), v.nonEmpty(), v.maxLength(200)), en: v.pipe(v.string(), v.nonEmpty(), v.maxLength(200)) }),
});

/** An interceptor's answer: no veto, a well-formed veto, or an error saying what is wrong with it. */
export function checkInterceptResult(result: InterceptResult | unknown): { ok: true; veto: Veto | null } | { ok: false; reason: string } {
  if (result === undefined || result === null) return { ok: true, veto: null };
  if (typeof result !== 'object') return { ok: false, reason: 'an interceptor returns an object or nothing' };
  const veto = (result as { veto?: unknown }).veto;
  if (veto === undefined || veto === null) return { ok: true, veto: null };
  const parsed = v.safeParse(vetoSchema, veto);
  if (!parsed.success) return { ok: false, reason: `veto.${v.getDotPath(parsed.issues[0]) ?? ''} ${parsed.issues[0].message}` };
  return { ok: true, veto: parsed.output };
}

const sqlArg = v.union([v.null(), v.string(), v.number(), v.bigint(), v.boolean(), v.instance(Uint8Array)]);
const reservationSchema = v.strictObject({
  statements: v.pipe(v.array(v.strictObject({
    sql: v.pipe(v.string(), v.nonEmpty(), v.maxLength(10_000)),
    args: v.optional(v.union([v.array(sqlArg), v.record(v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/)), sqlArg)])),
    expect: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000))),
  })), v.maxLength(50)),
  refusal: vetoSchema,
});

/** A reserveOrder answer: nothing to hold, a well-formed reservation, or what is wrong with it. */
export function checkReservation(result: unknown): { ok: true; reservation: Reservation | null } | { ok: false; reason: string } {
  if (result === undefined || result === null) return { ok: true, reservation: null };
  const parsed = v.safeParse(reservationSchema, result);
  if (!parsed.success) return { ok: false, reason: `reservation.${v.getDotPath(parsed.issues[0]) ?? ''} ${parsed.issues[0].message}` };
  return { ok: true, reservation: parsed.output.statements.length ? parsed.output as Reservation : null };
}
