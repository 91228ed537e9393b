import type { Client } from '@libsql/client';
import type { CartLine, PluginDefinition, PricingMember } from '@tuike/plugin-sdk';
import { choiceFor, deepFreeze, memberFor, settingsFor } from '@tuike/plugin-sdk/engine';
import {
  consoleHookLogger, createPluginDb, runAsyncHook, type CircuitBreaker, type HookLogger, type HookRunOptions, type HookSandbox, type InstalledPlugin,
} from '@tuike/plugin-runtime';
import type { ExtraColumn } from '@tuike/orders';
import type { Services } from '../context';
import { firstPartyPlugins } from './first-party';
import { pluginCodeOf } from './plugin-code';

/**
 * A shop's plugins at run time: which installs take part in this request (enabled, their code
 * loadable, not switched off by the breaker), the breaker itself — kept in `plugin_installs`
 * so a plugin switched off in one request is off in every process — and the budgeted
 * `loadState` calls. Checkout reads the installs on its existing context read (`installsColumn`);
 * other routes read them with `readInstalls`.
 */

/** Failures in a row that switch a plugin off (a success starts the count again). */
export const switchOffAfter = 5;
/** Per plugin per call: synchronous hooks, then `loadState` (it reads the database). */
export const hookBudgetMs = 20;
export const stateBudgetMs = 200;

export interface InstallState {
  pluginId: string;
  version: string;
  source: 'first_party' | 'marketplace';
  enabled: boolean;
  critical: boolean;
  settings: unknown;
  failures: number;
  off: boolean;
  installedAt: number;
}

const installsJson = `SELECT json_group_array(json_array(plugin_id, version, source, enabled, critical, json(settings), failures, switched_off_at IS NOT NULL, installed_at))
  FROM (SELECT * FROM plugin_installs ORDER BY position, plugin_id)`;

/** The shop's installs in hook order, as one scalar column of checkout's context read. */
export const installsColumn: ExtraColumn = { sql: `(${installsJson})`, args: [] };

/**
 * Installs as read, kept by their JSON (it changes only when an install does): the same text gives
 * the same frozen objects, so what is worked out from them — parsed settings, the shop's plugins —
 * is found by identity on the next request.
 */
const parsedInstalls = new Map<string, readonly InstallState[]>();

export function parseInstalls(raw: unknown): readonly InstallState[] {
  if (typeof raw !== 'string') return [];
  const hit = parsedInstalls.get(raw);
  if (hit) return hit;
  const installs = deepFreeze((JSON.parse(raw) as [string, string, string, number, number, unknown, number, number, number][]).map(([pluginId, version, source, enabled, critical, settings, failures, off, installedAt]): InstallState => ({
    pluginId, version, source: source === 'marketplace' ? 'marketplace' : 'first_party', enabled: enabled === 1, critical: critical === 1, settings, failures, off: off === 1, installedAt,
  })));
  if (parsedInstalls.size >= 500) parsedInstalls.clear();
  parsedInstalls.set(raw, installs);
  return installs;
}

export async function readInstalls(db: Client): Promise<readonly InstallState[]> {
  const rs = await db.execute(`SELECT (${installsJson}) AS installs`);
  return parseInstalls(rs.rows[0]?.installs);
}

/**
 * The breaker over `plugin_installs`: counts start from the stored ones; `flush` writes what
 * changed as increments (two requests failing at once both count) and switches a plugin off in
 * the same statement once its stored count reaches the threshold. A critical plugin is never
 * switched off: its failures fail the call instead.
 */
function storedBreaker(installs: readonly InstallState[]) {
  const byId = new Map(installs.map((i) => [i.pluginId, i]));
  const failed = new Map<string, number>();
  const succeeded = new Set<string>();
  const off = new Set(installs.filter((i) => i.off).map((i) => i.pluginId));
  const breaker: CircuitBreaker = {
    isOff: (id) => off.has(id),
    recordSuccess(id) {
      failed.delete(id);
      if ((byId.get(id)?.failures ?? 0) > 0) succeeded.add(id);
    },
    recordFailure(id, critical) {
      const n = (failed.get(id) ?? 0) + 1;
      failed.set(id, n);
      succeeded.delete(id);
      const total = (byId.get(id)?.failures ?? 0) + n;
      const switchedOff = !critical && !off.has(id) && total >= switchOffAfter;
      if (switchedOff) off.add(id);
      return { failures: total, switchedOff };
    },
    reset(id) { failed.delete(id); off.delete(id); },
    state: (id) => ({ failures: (byId.get(id)?.failures ?? 0) + (failed.get(id) ?? 0), off: off.has(id) }),
  };
  return {
    breaker,
    async flush(db: Client, now: number, reasons: ReadonlyMap<string, string>) {
      const statements = [
        ...[...failed].map(([id, n]) => ({
          sql: `UPDATE plugin_installs SET failures = failures + ?,
                  switched_off_at = CASE WHEN critical = 0 AND switched_off_at IS NULL AND failures + ? >= ? THEN ? ELSE switched_off_at END,
                  switched_off_reason = CASE WHEN critical = 0 AND switched_off_at IS NULL AND failures + ? >= ? THEN ? ELSE switched_off_reason END
                WHERE plugin_id = ?`,
          args: [n, n, switchOffAfter, now, n, switchOffAfter, (reasons.get(id) ?? 'failed').slice(0, 300), id],
        })),
        ...[...succeeded].map((id) => ({ sql: 'UPDATE plugin_installs SET failures = 0 WHERE plugin_id = ? AND failures > 0 AND switched_off_at IS NULL', args: [id] })),
      ];
      failed.clear();
      succeeded.clear();
      if (statements.length) await db.batch(statements, 'write');
    },
  };
}

export interface ShopPlugins {
  /** Enabled installs whose code runs here, in hook order; switched-off ones stay (the runner skips them). */
  plugins: readonly InstalledPlugin[];
  installedIds: string[];
  options: HookRunOptions;
  /** Stops a looping hook (Node); hook points run under it with `underWatchdog`. */
  watchdog: HookSandbox | undefined;
  stateBudgetMs: number;
  /** Persists this request's failures and recoveries (a no-op when there were none). */
  flush(): Promise<void>;
}

const sandboxes = new WeakMap<Services, HookSandbox | undefined>();
/**
 * The plugins this deployment ships, reviewed with the platform's own code: their synchronous
 * hooks run without the watchdog's thread (each call's time is still measured, an overrun still
 * skipped), as every plugin runs on workerd. Any other code — marketplace versions, test
 * plugins — runs guarded, so a loop is stopped at its budget.
 */
const shipped = new Set<PluginDefinition>(firstPartyPlugins);

/**
 * The enabled installs with their code, kept by the (frozen, see parseInstalls) installs when they
 * are all first-party: the deployment's bundled code cannot change under them. Marketplace code is
 * asked for every time, so a version taken down stops within the loader's time.
 */
const bundledRuns = new WeakMap<Services, WeakMap<readonly InstallState[], readonly InstalledPlugin[]>>();

async function enabledPlugins(services: Services, installs: readonly InstallState[]): Promise<readonly InstalledPlugin[]> {
  const cacheable = Object.isFrozen(installs) && installs.every((i) => i.source === 'first_party');
  let byInstalls = bundledRuns.get(services);
  const hit = cacheable ? byInstalls?.get(installs) : undefined;
  if (hit) return hit;
  const code = pluginCodeOf(services);
  const plugins: InstalledPlugin[] = [];
  for (const i of installs) {
    if (!i.enabled) continue;
    const definition = await code.definitionFor(i);
    if (definition) plugins.push({ definition, settings: i.settings, critical: i.critical, guarded: !shipped.has(definition) });
  }
  if (cacheable) {
    if (!byInstalls) bundledRuns.set(services, (byInstalls = new WeakMap()));
    byInstalls.set(installs, Object.freeze(plugins));
  }
  return plugins;
}

export async function shopPlugins(services: Services, db: Client, installs: readonly InstallState[]): Promise<ShopPlugins> {
  const plugins = await enabledPlugins(services, installs);
  const { breaker, flush } = storedBreaker(installs);
  const reasons = new Map<string, string>();
  const log: HookLogger = (entry) => {
    reasons.set(entry.pluginId, `${entry.hook} ${entry.reason}: ${entry.message}`);
    consoleHookLogger(entry);
  };
  if (!sandboxes.has(services)) sandboxes.set(services, services.config.hookSandbox?.());
  const sandbox = sandboxes.get(services);
  return {
    plugins,
    installedIds: installs.map((i) => i.pluginId),
    options: { breaker, budgetMs: services.config.hookBudgets?.syncMs ?? hookBudgetMs, log },
    watchdog: sandbox,
    stateBudgetMs: services.config.hookBudgets?.stateMs ?? stateBudgetMs,
    flush: () => flush(db, services.platform.clock.now(), reasons),
  };
}

/** The plugins of `shop` that have `hook`. */
export const withHook = (shop: ShopPlugins, hook: keyof InstalledPlugin['definition']['hooks']) => shop.plugins.filter((p) => p.definition.hooks[hook] !== undefined);

/**
 * Each plugin's `loadState` for this cart, with a read-only database confined to its tables, in
 * parallel and budgeted. A plugin whose state did not come prices without it (its hooks see
 * `state` undefined) and the failure counts toward its breaker.
 */
export async function loadStates(shop: ShopPlugins, db: Client, call: { member: PricingMember | null; lines: readonly CartLine[]; choices: Readonly<Record<string, unknown>>; now: number }): Promise<Record<string, unknown>> {
  const loaders = shop.plugins.filter((p) => p.definition.hooks.loadState && (p.definition.hooks.pricing || p.definition.hooks.willAddToCart || p.definition.hooks.willPlaceOrder || p.definition.hooks.reserveOrder));
  const outcomes = await Promise.all(loaders.map(async (p) => {
    const def = p.definition;
    const readDb = createPluginDb(db, def.id, def.capabilities, { access: 'read', installedPluginIds: shop.installedIds });
    const outcome = await runAsyncHook({ id: def.id, critical: p.critical }, () => def.hooks.loadState!(deepFreeze({
      db: readDb, member: memberFor(def, call.member), lines: call.lines.map((l) => ({ ...l })),
      settings: settingsFor(def, p.settings), choice: choiceFor(def, call.choices[def.id]), now: call.now,
    })), shop.stateBudgetMs, shop.options.breaker, { hook: 'loadState', ...(shop.options.log ? { log: shop.options.log } : {}) });
    return [def.id, outcome.status === 'ok' ? outcome.value : undefined] as const;
  }));
  return Object.fromEntries(outcomes.filter(([, state]) => state !== undefined));
}

/** What a plugin's routes and event handlers log with: the console, tagged with the plugin. */
export function pluginLog(pluginId: string) {
  const line = (level: 'info' | 'warn' | 'error') => (message: string, data?: Readonly<Record<string, unknown>>) => console[level](`[plugin ${pluginId}] ${message}`, data ?? '');
  return { info: line('info'), warn: line('warn'), error: line('error') };
}
