import type { Client, InStatement } from '@libsql/client';
import { eq } from 'drizzle-orm';
import * as v from 'valibot';
import { AppError } from '@tuike/core';
import { pluginInstalls, pluginMigrations } from '@tuike/db-tenant';
import { tablePrefix, type Capability, type SettingsFormField, type SettingsSpec } from '@tuike/plugin-sdk';
import { analyzeSql, compareVersions, ownsName, parseVersion, readableCoreTables, SqlSyntaxError, statementProblems, type ManifestJson, type SqlAccessPolicy } from '@tuike/plugin-sdk/engine';
import type { ManifestError, ValidateManifestOptions } from '@tuike/plugin-runtime';
import type { AuditEntry, ShopOrm } from '@tuike/staff';
import { manifestRefused } from './plugin-errors';

/**
 * A shop's plugins (G2): install, upgrade, enable and disable, configure, uninstall. Each change
 * is one batch on the shop's database together with its audit row: the plugin's migration steps
 * (every statement checked by the SQL analyser against the plugin's prefix first), one
 * `plugin_migrations` ledger row per step, and the `plugin_installs` row. The ledger makes a
 * retry or an upgrade run only the steps not yet applied.
 */

/** A plugin as a shop installs it: data only — from bundled code or from a reviewed manifest. */
export interface PluginPackage {
  id: string;
  version: string;
  source: 'first_party' | 'marketplace';
  capabilities: readonly Capability[];
  /** Step `i` of the ledger is `migrations[i]`. */
  migrations: readonly string[];
  settings: SettingsSpec<unknown>;
  manifest: ManifestJson;
  /** The runtime's manifest check against this shop (engine range, ids whose tables would nest). */
  verify(options: ValidateManifestOptions): ManifestError[];
}

export interface ShopTarget {
  db: Client;
  orm: ShopOrm;
}

export interface ChangeContext {
  now: number;
  /** The audit row of the change, to go into its batch. */
  audit(entry: AuditEntry): InStatement;
}

export type InstallRow = typeof pluginInstalls.$inferSelect;

interface ShopPluginState {
  install: InstallRow | null;
  applied: Set<number>;
  /** Plugins other than this one with an install or kept data (ledger rows) in this shop. */
  others: string[];
}

async function stateOf(shop: ShopTarget, pluginId: string): Promise<ShopPluginState> {
  const [installs, ledger] = await Promise.all([
    shop.orm.select().from(pluginInstalls),
    shop.orm.select({ pluginId: pluginMigrations.pluginId, step: pluginMigrations.step }).from(pluginMigrations),
  ]);
  return {
    install: installs.find((i) => i.pluginId === pluginId) ?? null,
    applied: new Set(ledger.filter((l) => l.pluginId === pluginId).map((l) => l.step)),
    others: [...new Set([...installs.map((i) => i.pluginId), ...ledger.map((l) => l.pluginId)])].filter((id) => id !== pluginId),
  };
}

export async function installOf(shop: ShopTarget, pluginId: string): Promise<InstallRow> {
  const [row] = await shop.orm.select().from(pluginInstalls).where(eq(pluginInstalls.pluginId, pluginId));
  if (!row) throw new AppError('PLUGIN_NOT_INSTALLED');
  return row;
}

/** What the plugin's SQL may touch in this shop: its own prefix, minus longer prefixes of others. */
function policyFor(pluginId: string, capabilities: readonly Capability[], others: readonly string[]): SqlAccessPolicy {
  const prefix = tablePrefix(pluginId);
  return {
    prefix,
    readable: readableCoreTables(capabilities),
    mode: 'migration',
    foreignPrefixes: others.map(tablePrefix).filter((p) => p !== prefix && p.startsWith(prefix)),
  };
}

/** One statement per entry, each allowed by the policy, or the analyser's refusal. */
function checkedStatements(sql: string, policy: SqlAccessPolicy, where: string): string[] {
  let statements;
  try {
    statements = analyzeSql(sql);
  } catch (e) {
    if (!(e instanceof SqlSyntaxError)) throw e;
    throw new AppError('PLUGIN_SQL_FORBIDDEN', { at: where, message: `not understood: ${e.message}` });
  }
  return statements.map((s) => {
    const problems = statementProblems(s, policy);
    if (problems.length) throw new AppError(problems[0]!.code, { at: where, problems: problems.map((p) => ({ statement: p.statement, message: p.message })) });
    return s.text;
  });
}

/** The steps this shop has not applied yet, each followed by its ledger row. */
function pendingSteps(pkg: PluginPackage, state: ShopPluginState, now: number): { statements: InStatement[]; steps: number[] } {
  const policy = policyFor(pkg.id, pkg.capabilities, state.others);
  const statements: InStatement[] = [];
  const steps: number[] = [];
  pkg.migrations.forEach((sql, step) => {
    if (state.applied.has(step)) return;
    statements.push(...checkedStatements(sql, policy, `migrations[${step}]`));
    statements.push({ sql: 'INSERT INTO plugin_migrations (plugin_id, step, version, applied_at) VALUES (?, ?, ?, ?)', args: [pkg.id, step, pkg.version, now] });
    steps.push(step);
  });
  return { statements, steps };
}

function verified(pkg: PluginPackage, state: ShopPluginState): void {
  const errors = pkg.verify({ installedPluginIds: state.others });
  if (errors.length) throw manifestRefused(errors);
}

/** Stored settings parsed by the plugin's schema (defaults filled), or the issues that stop it. */
export function parseSettings(settings: SettingsSpec<unknown>, stored: unknown): { ok: true; values: Record<string, unknown> } | { ok: false; issues: { path: string; message: string }[] } {
  const parsed = v.safeParse(settings.schema, stored ?? {});
  if (parsed.success) return { ok: true, values: parsed.output as Record<string, unknown> };
  return { ok: false, issues: parsed.issues.map((i) => ({ path: v.getDotPath(i) ?? '', message: i.message })) };
}

export function installView(row: InstallRow) {
  return {
    version: row.version, source: row.source, enabled: row.enabled, critical: row.critical, position: row.position,
    failures: row.failures, switchedOffAt: row.switchedOffAt, switchedOffReason: row.switchedOffReason, installedAt: row.installedAt, updatedAt: row.updatedAt,
  };
}

/**
 * A statement of the plugin's own migration that SQLite refused (the analyser allowed it, the
 * engine did not: a typo, a table made twice). The batch rolled back; the merchant gets a code.
 */
function sqlRefusal(e: unknown): string | null {
  for (let cur = e, depth = 0; cur instanceof Error && depth < 5; cur = cur.cause, depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_') && !code.startsWith('SQLITE_BUSY')) return cur.message.slice(0, 300);
  }
  return null;
}

function migrationFailed(e: unknown, steps: readonly number[]): unknown {
  const message = steps.length ? sqlRefusal(e) : null;
  return message === null ? e : new AppError('PLUGIN_MIGRATION_FAILED', { steps, message });
}

const guardMovedOne = (name: string): InStatement => ({ sql: 'INSERT INTO invariant_guards (name, holds) SELECT ?, changes() = 1', args: [name] });
const clearGuards: InStatement = 'DELETE FROM invariant_guards';

/**
 * Installs `pkg` in the shop, running its migrations. Installing the installed version again
 * changes nothing (`created: false`), also when two installs race; data kept by an earlier
 * uninstall stays, and only the steps it lacks run. A plugin whose required settings have no
 * default starts disabled: it is enabled once configured.
 */
export async function installPlugin(shop: ShopTarget, pkg: PluginPackage, ctx: ChangeContext): Promise<{ created: boolean; install: InstallRow; steps: number[] }> {
  const state = await stateOf(shop, pkg.id);
  if (state.install) {
    if (state.install.version !== pkg.version) throw new AppError('PLUGIN_ALREADY_INSTALLED', { version: state.install.version });
    return { created: false, install: state.install, steps: [] };
  }
  verified(pkg, state);
  const { statements, steps } = pendingSteps(pkg, state, ctx.now);
  const settings = parseSettings(pkg.settings, {});
  const row: InstallRow = {
    pluginId: pkg.id, version: pkg.version, source: pkg.source, enabled: settings.ok, critical: false, position: 100,
    settings: settings.ok ? settings.values : {}, failures: 0, switchedOffAt: null, switchedOffReason: null, installedAt: ctx.now, updatedAt: ctx.now,
  };
  try {
    await shop.db.batch([
      ...statements,
      {
        sql: `INSERT INTO plugin_installs (plugin_id, version, source, enabled, critical, position, settings, failures, installed_at, updated_at)
              VALUES (?, ?, ?, ?, 0, ?, ?, 0, ?, ?)`,
        args: [row.pluginId, row.version, row.source, row.enabled ? 1 : 0, row.position, JSON.stringify(row.settings), row.installedAt, row.updatedAt],
      },
      ctx.audit({ entity: 'plugin', entityId: pkg.id, action: 'install', before: null, after: { version: pkg.version, source: pkg.source, enabled: row.enabled, steps } }),
    ], 'write');
  } catch (e) {
    // A concurrent install of the same version won (its ledger or install row is there now).
    const after = await stateOf(shop, pkg.id);
    if (after.install?.version === pkg.version) return { created: false, install: after.install, steps: [] };
    throw migrationFailed(e, steps);
  }
  return { created: true, install: row, steps };
}

/**
 * Moves an installed plugin to a newer version, running only the migration steps the ledger does
 * not have. Settings the new schema refuses are kept, and the plugin is disabled until they are fixed.
 */
export async function upgradePlugin(shop: ShopTarget, pkg: PluginPackage, ctx: ChangeContext): Promise<{ install: InstallRow; steps: number[]; needsSettings: boolean }> {
  const state = await stateOf(shop, pkg.id);
  const current = state.install;
  if (!current) throw new AppError('PLUGIN_NOT_INSTALLED');
  const from = parseVersion(current.version);
  const to = parseVersion(pkg.version);
  if (!from || !to || compareVersions(to, from) <= 0) throw new AppError('PLUGIN_NO_UPGRADE', { installed: current.version, available: pkg.version });
  verified(pkg, state);
  const { statements, steps } = pendingSteps(pkg, state, ctx.now);
  const settings = parseSettings(pkg.settings, current.settings);
  const enabled = current.enabled && settings.ok;
  const values = settings.ok ? settings.values : current.settings;
  try {
    await shop.db.batch([
      ...statements,
      {
        sql: 'UPDATE plugin_installs SET version = ?, source = ?, settings = ?, enabled = ?, updated_at = ? WHERE plugin_id = ? AND version = ?',
        args: [pkg.version, pkg.source, JSON.stringify(values), enabled ? 1 : 0, ctx.now, pkg.id, current.version],
      },
      guardMovedOne('plugin_version_unchanged'),
      clearGuards,
      ctx.audit({ entity: 'plugin', entityId: pkg.id, action: 'upgrade', before: { version: current.version, enabled: current.enabled }, after: { version: pkg.version, enabled, steps } }),
    ], 'write');
  } catch (e) {
    const after = await stateOf(shop, pkg.id);
    if (after.install?.version === pkg.version) return { install: after.install, steps: [], needsSettings: !settings.ok };
    if (after.install && after.install.version !== current.version) throw new AppError('PLUGIN_VERSION_STATE', { installed: after.install.version });
    throw migrationFailed(e, steps);
  }
  return { install: await installOf(shop, pkg.id), steps, needsSettings: !settings.ok };
}

/** Tables and views of the plugin (`plg_{id}_…`, never a longer prefix of another plugin), last made first. */
async function ownedObjects(shop: ShopTarget, pluginId: string, others: readonly string[]): Promise<{ type: 'table' | 'view'; name: string }[]> {
  const policy = policyFor(pluginId, [], others);
  const pattern = `${policy.prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const rs = await shop.db.execute({ sql: `SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') AND name LIKE ? ESCAPE '\\' ORDER BY rowid DESC`, args: [pattern] });
  return rs.rows
    .map((r) => ({ type: String(r.type) as 'table' | 'view', name: String(r.name) }))
    .filter((o) => ownsName(o.name, policy))
    .sort((a, b) => (a.type === b.type ? 0 : a.type === 'view' ? -1 : 1));
}

/**
 * Uninstalls the plugin. With `keepData` its tables and ledger stay (a later install picks them
 * up); without, every `plg_{id}_` table and view is dropped — each DROP checked by the SQL
 * analyser against the plugin's prefix — and its ledger goes. Kept data can be removed later by
 * uninstalling again with `keepData: false`. Undelivered events to the plugin are dropped.
 */
export async function uninstallPlugin(shop: ShopTarget, pluginId: string, keepData: boolean, ctx: ChangeContext): Promise<{ dropped: string[] }> {
  const state = await stateOf(shop, pluginId);
  const objects = keepData ? [] : await ownedObjects(shop, pluginId, state.others);
  if (!state.install && (keepData || (state.applied.size === 0 && objects.length === 0))) throw new AppError('PLUGIN_NOT_INSTALLED');
  const policy = policyFor(pluginId, [], state.others);
  const drops = objects.flatMap((o) => checkedStatements(`DROP ${o.type === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS "${o.name.replace(/"/g, '""')}"`, policy, o.name));
  await shop.db.batch([
    ...drops,
    ...(keepData ? [] : [{ sql: 'DELETE FROM plugin_migrations WHERE plugin_id = ?', args: [pluginId] }]),
    { sql: 'DELETE FROM plugin_installs WHERE plugin_id = ?', args: [pluginId] },
    { sql: `DELETE FROM plugin_deliveries WHERE plugin_id = ?${keepData ? ' AND delivered_at IS NULL' : ''}`, args: [pluginId] },
    ctx.audit({
      entity: 'plugin', entityId: pluginId, action: 'uninstall',
      before: state.install ? { version: state.install.version, enabled: state.install.enabled } : null,
      after: { keepData, dropped: objects.map((o) => o.name) },
    }),
  ], 'write');
  return { dropped: objects.map((o) => o.name) };
}

export interface InstallPatch {
  enabled?: boolean;
  critical?: boolean;
  position?: number;
}

/**
 * Switches a plugin on or off, marks it critical, or moves it in the hook order. Any change of
 * `enabled` also resets the circuit breaker (failures 0, not switched off): the merchant decides
 * afresh. Enabling needs settings the plugin's schema accepts (`settingsOf` is asked only then:
 * a plugin the deployment no longer has can still be switched off).
 */
export async function patchInstall(shop: ShopTarget, pluginId: string, patch: InstallPatch, settingsOf: () => Promise<SettingsSpec<unknown>>, ctx: ChangeContext): Promise<InstallRow> {
  const current = await installOf(shop, pluginId);
  if (patch.enabled === true) {
    const parsed = parseSettings(await settingsOf(), current.settings);
    if (!parsed.ok) throw new AppError('PLUGIN_SETTINGS_INVALID', { issues: parsed.issues });
  }
  const next = {
    enabled: patch.enabled ?? current.enabled,
    critical: patch.critical ?? current.critical,
    position: patch.position ?? current.position,
  };
  const resetBreaker = patch.enabled !== undefined;
  const before = { enabled: current.enabled, critical: current.critical, position: current.position, failures: current.failures, switchedOffAt: current.switchedOffAt };
  const after = { ...next, failures: resetBreaker ? 0 : current.failures, switchedOffAt: resetBreaker ? null : current.switchedOffAt };
  if (JSON.stringify(before) === JSON.stringify(after)) return current;
  await shop.db.batch([
    {
      sql: `UPDATE plugin_installs SET enabled = ?, critical = ?, position = ?, updated_at = ?${resetBreaker ? ', failures = 0, switched_off_at = NULL, switched_off_reason = NULL' : ''} WHERE plugin_id = ?`,
      args: [next.enabled ? 1 : 0, next.critical ? 1 : 0, next.position, ctx.now, pluginId],
    },
    guardMovedOne('plugin_installed'),
    clearGuards,
    ctx.audit({ entity: 'plugin', entityId: pluginId, action: 'update', before, after }),
  ], 'write');
  return installOf(shop, pluginId);
}

/** Stores settings the plugin's schema accepts (defaults filled); refuses others, changing nothing. */
export async function configurePlugin(shop: ShopTarget, pluginId: string, settings: SettingsSpec<unknown>, values: unknown, ctx: ChangeContext): Promise<Record<string, unknown>> {
  const current = await installOf(shop, pluginId);
  const parsed = parseSettings(settings, values);
  if (!parsed.ok) throw new AppError('PLUGIN_SETTINGS_INVALID', { issues: parsed.issues });
  await shop.db.batch([
    { sql: 'UPDATE plugin_installs SET settings = ?, updated_at = ? WHERE plugin_id = ?', args: [JSON.stringify(parsed.values), ctx.now, pluginId] },
    guardMovedOne('plugin_installed'),
    clearGuards,
    ctx.audit({ entity: 'plugin', entityId: pluginId, action: 'configure', before: current.settings, after: parsed.values }),
  ], 'write');
  return parsed.values;
}

/** The form to render and the values to fill it with (stored, defaults filled when they parse). */
export function settingsForm(settings: SettingsSpec<unknown>, stored: unknown): { form: readonly SettingsFormField[]; values: Record<string, unknown> } {
  const parsed = parseSettings(settings, stored);
  return { form: settings.form, values: parsed.ok ? parsed.values : ((stored ?? {}) as Record<string, unknown>) };
}
