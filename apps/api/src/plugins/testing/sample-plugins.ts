import { createHash } from 'node:crypto';
import { definePlugin, defineSettings, field } from '@tuike/plugin-sdk';
import { manifestJson } from '@tuike/plugin-sdk/engine';

/** Small plugins for the marketplace and install tests (the real first-party ones live in plugins/). */

const label = (en: string) => ({ zh: en, en });

const stampsCards = 'CREATE TABLE plg_stamps_cards (member_id TEXT PRIMARY KEY, stamps INTEGER NOT NULL DEFAULT 0 CHECK (stamps >= 0))';
const stampsRewards = `CREATE TABLE plg_stamps_rewards (id TEXT PRIMARY KEY, member_id TEXT NOT NULL REFERENCES plg_stamps_cards (member_id), amount INTEGER NOT NULL);
  CREATE INDEX plg_stamps_rewards_member ON plg_stamps_rewards (member_id)`;

/** Stamp cards: 1.0.0 makes one table; 1.1.0 adds a second (and a setting with a default). */
export function stamps(version: '1.0.0' | '1.1.0' = '1.0.0') {
  const newer = version === '1.1.0';
  return definePlugin({
    id: 'stamps',
    name: { zh: '集点卡', en: 'Stamp cards' },
    description: { zh: '每单盖一个章，集满有礼', en: 'A stamp per order, a reward per full card' },
    version,
    engine: '^1.0.0',
    capabilities: ['events.order'],
    settings: defineSettings({
      stampsPerCard: field.number({ label: label('Stamps per card'), default: 10, min: 1, max: 50, integer: true }),
      reward: field.money({ label: label('Reward'), default: 500 }),
      ...(newer ? { expiryDays: field.number({ label: label('Days a card lasts'), default: 365, min: 1, integer: true }) } : {}),
    }),
    migrations: newer ? [stampsCards, stampsRewards] : [stampsCards],
    hooks: { events: { 'order.paid': async () => {} } },
  });
}

/** A plugin that cannot run before the merchant fills in a setting (no default). */
export const greeter = definePlugin({
  id: 'greeter',
  name: { zh: '欢迎语', en: 'Greeter' },
  version: '1.0.0',
  engine: '^1.0.0',
  capabilities: ['widgets.storefront'],
  settings: defineSettings({
    message: field.string({ label: label('Message'), minLength: 1, maxLength: 80 }),
    tone: field.enum({ label: label('Tone'), default: 'warm', options: [{ value: 'warm', label: label('Warm') }, { value: 'brief', label: label('Brief') }] }),
  }),
  widgets: [{ slot: 'storefront.home.banner', component: 'GreeterBanner' }],
});

/** A third-party plugin, as authors upload it; `version` picks its migrations (1.1.0 adds a table). */
export function wishlist(version = '1.0.0') {
  const newer = version !== '1.0.0';
  return definePlugin({
    id: 'wishlist',
    name: { zh: '心愿单', en: 'Wishlist' },
    description: { zh: '收藏想买的商品', en: 'Keep products for later' },
    version,
    engine: '^1.0.0',
    capabilities: ['catalog.read', 'routes'],
    settings: defineSettings({ maxItems: field.number({ label: label('Items per member'), default: 50, min: 1, max: 500, integer: true }), share: field.boolean({ label: label('Shareable'), default: true }) }),
    migrations: [
      'CREATE TABLE plg_wishlist_items (member_id TEXT NOT NULL, product_id TEXT NOT NULL, added_at INTEGER NOT NULL, PRIMARY KEY (member_id, product_id))',
      ...(newer ? ['CREATE TABLE plg_wishlist_shares (code TEXT PRIMARY KEY, member_id TEXT NOT NULL)'] : []),
    ],
    routes: [{ method: 'GET', path: '/mine', auth: 'member', handler: async () => ({ body: [] }) }],
  });
}

/** Bundle metadata as the CLI would measure it, for a bundle whose content is `seed`. */
export function bundleOf(seed: string) {
  const bytes = new TextEncoder().encode(seed);
  return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.byteLength, entry: 'src/index.ts' };
}

/** The upload body of a version: manifest as `manifestJson` gives it, bundle metadata. */
export const uploadOf = (def: Parameters<typeof manifestJson>[0], seed = `${def.id}@${def.version}`) => ({ manifest: manifestJson(def), bundle: bundleOf(seed) });

/** Its second step passes the SQL analyser but not SQLite (a table made twice). */
export const broken = definePlugin({
  id: 'broken',
  name: { zh: '坏插件', en: 'Broken' },
  version: '1.0.0',
  engine: '^1.0.0',
  capabilities: ['events.order'],
  migrations: ['CREATE TABLE plg_broken_a (id TEXT)', 'CREATE TABLE plg_broken_b (id TEXT); CREATE TABLE plg_broken_b (id TEXT)'],
  hooks: { events: { 'order.paid': async () => {} } },
});
