import * as v from 'valibot';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Capability } from './capabilities';
import type { PricingOperation } from './hooks';
import { definePlugin, inspectPlugin, manifestJson, orderEventScope, PluginDefinitionError, route, type PluginDefinitionInput } from './manifest';
import { defineSettings, field } from './settings-fields';

const name = { zh: '优惠券', en: 'Coupons' };
const label = { zh: '满减', en: 'Spend and save' };
const base = { id: 'coupons', name, version: '1.0.0', engine: '^1.0.0' } as const;

/** The problems definePlugin throws with (its codes), or [] when it accepts. */
function problemsOf(def: PluginDefinitionInput<unknown, unknown, unknown> | Record<string, unknown>) {
  try {
    definePlugin(def as PluginDefinitionInput<unknown, unknown, unknown>);
    return [];
  } catch (e) {
    if (!(e instanceof PluginDefinitionError)) throw e;
    return e.problems.map((p) => `${p.code} ${p.path}`);
  }
}

const coupons = definePlugin({
  ...base,
  capabilities: ['pricing', 'order.intercept', 'events.order', 'routes', 'widgets.storefront', 'catalog.read'],
  settings: defineSettings({ threshold: field.money({ label, default: 9900 }), off: field.money({ label, default: 1000 }) }),
  choice: v.object({ couponId: v.string() }),
  migrations: [
    `CREATE TABLE plg_coupons_codes (id TEXT PRIMARY KEY, member_id TEXT NOT NULL, amount INTEGER NOT NULL CHECK (amount > 0), used_order TEXT, event_id TEXT UNIQUE);
     CREATE INDEX plg_coupons_codes_member ON plg_coupons_codes (member_id)`,
  ],
  routes: [
    route({ method: 'GET', path: '/mine', auth: 'member', handler: async (_req, ctx) => ({ body: (await ctx.db.execute('SELECT id FROM plg_coupons_codes')).rows.length }) }),
    route({ method: 'POST', path: '/codes/:id/claim', auth: 'member', input: v.object({ note: v.string() }), handler: async (req) => ({ status: 201, body: { id: req.params.id ?? null, note: req.body.note } }) }),
  ],
  widgets: [{ slot: 'storefront.cart.summary', component: 'CouponPicker', props: { max: 3 } }],
  hooks: {
    loadState: async () => ({ codes: [{ id: 'c1', amount: 500 }] }),
    pricing: (input) => {
      const ops: PricingOperation[] = [];
      if (input.itemsTotal >= input.settings.threshold) ops.push({ kind: 'order_discount', amount: input.settings.off, label, combinesWith: 'campaign', priority: 0 });
      const code = input.state.codes.find((c) => c.id === input.choice?.couponId);
      if (code) ops.push({ kind: 'order_discount', amount: Math.min(code.amount, input.itemsTotal), label, combinesWith: 'coupon', priority: 0, ref: code.id });
      return ops;
    },
    willPlaceOrder: (ctx) => (ctx.priced.payTotal < 0 ? { veto: { code: 'NEGATIVE', message: label } } : undefined),
    events: { 'order.paid': async (event, ctx) => { await ctx.db.execute('UPDATE plg_coupons_codes SET used_order = ? WHERE event_id IS NULL', [event.payload.orderId]); } },
  },
});

describe('definePlugin with a sound definition', () => {
  it('returns the definition with its table prefix, settings inferred into the hooks', () => {
    expect(coupons.tablePrefix).toBe('plg_coupons_');
    type Input = Parameters<NonNullable<typeof coupons.hooks.pricing>>[0];
    expectTypeOf<Input['settings']>().toEqualTypeOf<Readonly<{ threshold: number; off: number }>>();
    expectTypeOf<Input['choice']>().toEqualTypeOf<Readonly<{ couponId: string }> | null>();
    expectTypeOf<Input['state']>().toEqualTypeOf<Readonly<{ codes: { id: string; amount: number }[] }>>();
  });

  it('freezes what it returns, and later changes to the input do not leak in', () => {
    const caps: Capability[] = ['pricing'];
    const def = definePlugin({ ...base, capabilities: caps, hooks: { pricing: () => [] } });
    caps.push('routes');
    expect(def.capabilities).toEqual(['pricing']);
    expect(Object.isFrozen(def)).toBe(true);
    expect(Object.isFrozen(def.capabilities)).toBe(true);
    expect(Object.isFrozen(def.hooks)).toBe(true);
    expect(() => { (def as { id: string }).id = 'other'; }).toThrow(TypeError);
    expect(() => { (coupons.routes as unknown[]).push({}); }).toThrow(TypeError);
  });

  it('describes itself as JSON for the marketplace', () => {
    const json = manifestJson(coupons);
    expect(json).toMatchObject({ id: 'coupons', hooks: ['loadState', 'pricing', 'willPlaceOrder'], events: ['order.paid'], routes: [{ method: 'GET', path: '/mine', auth: 'member' }, { method: 'POST', path: '/codes/:id/claim', auth: 'member' }] });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('accepts its own output again (the runtime re-inspects definitions it loads)', () => {
    expect(inspectPlugin(coupons)).toEqual([]);
  });
});

describe('definePlugin refuses', () => {
  it('a capability that does not exist', () => {
    expect(problemsOf({ ...base, capabilities: ['pricing', 'wallet.write'] })).toEqual(['PLUGIN_CAPABILITY_UNKNOWN capabilities[1]']);
  });

  it('a hook, event, route or widget without the capability it needs', () => {
    expect(problemsOf({ ...base, capabilities: [], hooks: { pricing: () => [], adjustCommission: (l) => l, events: { 'member.registered': async () => {} } } })).toEqual([
      'PLUGIN_CAPABILITY_MISSING hooks.pricing',
      'PLUGIN_CAPABILITY_MISSING hooks.adjustCommission',
      'PLUGIN_CAPABILITY_MISSING hooks.events.member.registered',
    ]);
    expect(problemsOf({ ...base, capabilities: ['widgets.storefront'], widgets: [{ slot: 'admin.order.detail', component: 'Panel' }] })).toEqual(['PLUGIN_CAPABILITY_MISSING widgets[0]']);
    expect(problemsOf({ ...base, capabilities: ['commission.adjust'], hooks: { loadState: async () => 1 } })).toEqual(['PLUGIN_CAPABILITY_MISSING hooks.loadState']);
  });

  it('a migration creating a table outside its prefix', () => {
    expect(problemsOf({ ...base, capabilities: [], migrations: ['CREATE TABLE coupon_codes (id TEXT)'] })).toEqual(['PLUGIN_TABLE_OUTSIDE_PREFIX migrations[0]']);
  });

  it('CREATE TABLE "plg_coupons_x" AS SELECT * FROM members: reading members is granted to no capability', () => {
    expect(problemsOf({ ...base, capabilities: ['member.read'], migrations: ['CREATE TABLE "plg_coupons_x" AS SELECT * FROM members'] })).toEqual(['PLUGIN_TABLE_OUTSIDE_PREFIX migrations[0]']);
  });

  it('ALTER TABLE orders and DROP TABLE skus, even hidden after an allowed statement', () => {
    expect(problemsOf({ ...base, capabilities: ['orders.read', 'catalog.read'], migrations: ['CREATE TABLE plg_coupons_a (id TEXT); ALTER TABLE orders ADD COLUMN coupon TEXT', '-- cleanup\nDROP TABLE skus'] })).toEqual([
      'PLUGIN_TABLE_OUTSIDE_PREFIX migrations[0]',
      'PLUGIN_TABLE_OUTSIDE_PREFIX migrations[1]',
    ]);
  });

  it('PRAGMA and ATTACH in a migration, and an empty one', () => {
    expect(problemsOf({ ...base, capabilities: [], migrations: ['PRAGMA foreign_keys = OFF', "ATTACH 'x.db' AS x", ' -- nothing\n ;'] })).toEqual([
      'PLUGIN_SQL_FORBIDDEN migrations[0]',
      'PLUGIN_SQL_FORBIDDEN migrations[1]',
      'PLUGIN_MANIFEST_INVALID migrations[2]',
    ]);
  });

  it('a bad id, version or engine range, an unknown hook, slot or field', () => {
    expect(problemsOf({ ...base, id: 'Coupons', capabilities: [] })).toEqual(['PLUGIN_MANIFEST_INVALID id']);
    expect(problemsOf({ ...base, id: 'a--b', capabilities: [] })).toEqual(['PLUGIN_MANIFEST_INVALID id']);
    expect(problemsOf({ ...base, version: '1.0', capabilities: [] })).toEqual(['PLUGIN_MANIFEST_INVALID version']);
    expect(problemsOf({ ...base, engine: 'latest', capabilities: [] })).toEqual(['PLUGIN_MANIFEST_INVALID engine']);
    expect(problemsOf({ ...base, capabilities: ['pricing'], hooks: { pricing: () => [], beforePricing: () => [] } })).toEqual(['PLUGIN_MANIFEST_INVALID hooks.beforePricing']);
    expect(problemsOf({ ...base, capabilities: ['widgets.storefront'], widgets: [{ slot: 'storefront.footer', component: 'X' }] })).toEqual(['PLUGIN_MANIFEST_INVALID widgets.0.slot']);
    expect(problemsOf({ ...base, capabilities: [], author: 'me' })).toEqual(['PLUGIN_MANIFEST_INVALID author']);
    expect(problemsOf({ ...base, capabilities: ['events.order'], hooks: { events: { 'order.exploded': async () => {} } } })).toEqual(['PLUGIN_MANIFEST_INVALID hooks.events.order.exploded']);
  });

  it('a route declared twice, outside lowercase segments, or a capability listed twice', () => {
    const handler = async () => ({ body: null });
    expect(problemsOf({ ...base, capabilities: ['routes'], routes: [{ method: 'GET', path: '/a/:id', auth: 'public', handler }, { method: 'GET', path: '/a/:code', auth: 'public', handler }] })).toEqual(['PLUGIN_MANIFEST_INVALID routes[1]']);
    expect(problemsOf({ ...base, capabilities: ['routes'], routes: [{ method: 'GET', path: '/../admin', auth: 'public', handler }] })).toEqual(['PLUGIN_MANIFEST_INVALID routes.0.path']);
    expect(problemsOf({ ...base, capabilities: ['routes', 'routes'] })).toEqual(['PLUGIN_MANIFEST_INVALID capabilities[1]']);
  });

  it('order event scopes: for all events or per event, never an unknown event or scope, and own-offers only with offers to own', () => {
    const hearing = { ...base, capabilities: ['pricing', 'events.order'] as Capability[], hooks: { pricing: () => [], events: { 'order.paid': async () => {} } } };
    expect(definePlugin(hearing).orderEvents).toBe('taken-part');
    expect(definePlugin({ ...hearing, orderEvents: 'own-offers' }).orderEvents).toBe('own-offers');
    const perEvent = definePlugin({ ...hearing, orderEvents: { 'order.placed': 'own-offers' } });
    expect(orderEventScope(perEvent, 'order.placed')).toBe('own-offers');
    expect(orderEventScope(perEvent, 'order.paid')).toBe('taken-part');
    expect(manifestJson(perEvent).orderEvents).toEqual({ 'order.placed': 'own-offers' });
    expect(problemsOf({ ...hearing, orderEvents: { 'order.exploded': 'own-offers' } })).toEqual(['PLUGIN_MANIFEST_INVALID orderEvents']);
    expect(problemsOf({ ...hearing, orderEvents: 'mine' })).toEqual(['PLUGIN_MANIFEST_INVALID orderEvents']);
    const noPricing = { ...base, capabilities: ['events.order'] as Capability[], hooks: { events: { 'order.paid': async () => {} } } };
    expect(problemsOf({ ...noPricing, orderEvents: 'own-offers' })).toEqual(['PLUGIN_MANIFEST_INVALID orderEvents']);
    expect(problemsOf({ ...noPricing, orderEvents: { 'order.paid': 'own-offers' } })).toEqual(['PLUGIN_MANIFEST_INVALID orderEvents']);
  });

  it('anything that is not a definition at all, without throwing while looking', () => {
    for (const junk of [null, 42, 'coupons', [], {}, { id: 'x'.repeat(1000) }]) expect(inspectPlugin(junk).length, JSON.stringify(junk)).toBeGreaterThan(0);
  });
});
