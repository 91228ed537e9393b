import { definePlugin } from '@tuike/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { pluginErrorBody, pluginErrorCatalog } from './errors';
import { validateManifest } from './manifest-check';

const base = { id: 'points', name: { zh: '积分', en: 'Points' }, version: '1.2.0', engine: '^1.0.0', capabilities: ['pricing'], hooks: { pricing: () => [] } };
const codes = (candidate: unknown, options = {}) => {
  const verdict = validateManifest(candidate, options);
  return verdict.ok ? [] : verdict.errors.map((e) => e.code);
};

describe('validateManifest', () => {
  it('accepts a sound plugin, defined or hand-made', () => {
    const handMade = validateManifest(base);
    expect(handMade).toMatchObject({ ok: true, plugin: { id: 'points', tablePrefix: 'plg_points_', migrations: [], routes: [] } });
    expect(handMade.ok && Object.isFrozen(handMade.plugin)).toBe(true);
    expect(validateManifest(definePlugin({ ...base, capabilities: ['pricing'] }))).toMatchObject({ ok: true });
  });

  it('refuses an unknown capability with PLUGIN_CAPABILITY_UNKNOWN', () => {
    expect(codes({ ...base, capabilities: ['pricing', 'payments.refund'] })).toEqual(['PLUGIN_CAPABILITY_UNKNOWN']);
  });

  it('refuses a migration table outside the prefix with PLUGIN_TABLE_OUTSIDE_PREFIX', () => {
    expect(codes({ ...base, migrations: ['CREATE TABLE plg_points_ledger (id TEXT); CREATE TABLE points_ledger (id TEXT)'] })).toEqual(['PLUGIN_TABLE_OUTSIDE_PREFIX']);
    expect(codes({ ...base, migrations: ['CREATE TABLE "plg_points_x" AS SELECT * FROM members'] })).toEqual(['PLUGIN_TABLE_OUTSIDE_PREFIX']);
    expect(codes({ ...base, migrations: ['ALTER TABLE orders ADD COLUMN points INTEGER'] })).toEqual(['PLUGIN_TABLE_OUTSIDE_PREFIX']);
    expect(codes({ ...base, migrations: ['DROP TABLE skus'] })).toEqual(['PLUGIN_TABLE_OUTSIDE_PREFIX']);
  });

  it('refuses a malformed manifest with PLUGIN_MANIFEST_INVALID, and never throws on junk', () => {
    expect(codes({ ...base, version: 'one' })).toEqual(['PLUGIN_MANIFEST_INVALID']);
    for (const junk of [undefined, null, 1, 'x', [], { id: 'points' }]) expect(codes(junk)).toContain('PLUGIN_MANIFEST_INVALID');
  });

  it('refuses a plugin whose engine range does not accept this platform with PLUGIN_ENGINE_MISMATCH', () => {
    expect(codes({ ...base, engine: '^2.0.0' })).toEqual(['PLUGIN_ENGINE_MISMATCH']);
    expect(codes({ ...base, engine: '>=1.0.0 <1.1.0' }, { engineVersion: '1.1.0' })).toEqual(['PLUGIN_ENGINE_MISMATCH']);
    expect(codes({ ...base, engine: '^1.0.0' }, { engineVersion: '1.9.3' })).toEqual([]);
  });

  it('refuses an id whose tables would nest with an installed plugin\'s', () => {
    expect(codes({ ...base, id: 'points-mall' }, { installedPluginIds: ['coupons', 'points'] })).toEqual(['PLUGIN_ID_CONFLICT']);
    expect(codes(base, { installedPluginIds: ['points', 'pointsmall'] })).toEqual([]);
  });
});

describe('plugin error codes', () => {
  it('carry a status and a message in both languages', () => {
    for (const [code, entry] of Object.entries(pluginErrorCatalog)) {
      expect(entry.zh.length, code).toBeGreaterThan(0);
      expect(entry.en.length, code).toBeGreaterThan(0);
      expect(entry.status).toBeGreaterThanOrEqual(400);
    }
    expect(pluginErrorBody('PLUGIN_ENGINE_MISMATCH', 'zh-CN')).toEqual({ error: { code: 'PLUGIN_ENGINE_MISMATCH', message: '插件与当前平台版本不兼容' } });
  });
});
