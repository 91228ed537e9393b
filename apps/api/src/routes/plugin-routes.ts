import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { AppError } from '@tuike/core';
import type { JsonValue, PluginRoute } from '@tuike/plugin-sdk';
import { settingsFor } from '@tuike/plugin-sdk/engine';
import { widgetSlots } from '@tuike/plugin-sdk';
import { createPluginDb, runAsyncHook } from '@tuike/plugin-runtime';
import type { AppEnv } from '../context';
import { signedInMember } from '../http/member-auth';
import { permit } from '../http/staff-auth';
import { pluginLog, readInstalls, shopPlugins, type ShopPlugins } from '../plugins/shop-runtime';

/**
 * Plugin routes, mounted at `/api/plugins/{id}{path}` of each shop (G2). The platform finds the
 * installed, enabled plugin and its declared route, checks who may call it (`public`; `member`:
 * a signed-in buyer; `staff`: shop staff with the marketing permission — view for GET, manage
 * otherwise), parses the body with the route's own schema, and runs the handler with a database
 * confined to the plugin's tables and a time budget. A handler that throws or overruns answers
 * PLUGIN_ROUTE_FAILED, never a 500; what it wrote is its own business (one batch per change).
 * A plugin switched off by the breaker keeps its routes: it stopped pricing, not existing.
 */

const routeBudgetMs = 10_000;
const maxBodyBytes = 64 * 1024;

function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) {
      let value: string;
      try {
        value = decodeURIComponent(g);
      } catch {
        return null;
      }
      if (value.length === 0 || value.length > 200) return null;
      params[w.slice(1)] = value;
    } else if (w !== g) return null;
  }
  return params;
}

async function enabledPlugins(c: Context<AppEnv>): Promise<ShopPlugins> {
  const { db } = c.get('shop');
  return shopPlugins(c.get('services'), db, await readInstalls(db));
}

async function readBody(c: Context<AppEnv>, route: PluginRoute): Promise<unknown> {
  if (!route.input) return undefined;
  const text = await c.req.text();
  if (text.length > maxBodyBytes) throw new AppError('PAYLOAD_TOO_LARGE');
  let raw: unknown;
  try {
    raw = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new AppError('VALIDATION_FAILED', [{ path: '', message: 'body is not JSON' }]);
  }
  const parsed = v.safeParse(route.input, raw);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', parsed.issues.map((i) => ({ path: v.getDotPath(i) ?? '', message: i.message })));
  return parsed.output;
}

/** A plugin's error names its message in both languages; the caller gets it in theirs, like every platform error. */
function localizedError(body: unknown, locale: string): unknown {
  const error = (body as { error?: { message?: unknown } } | null)?.error;
  const message = error?.message as { zh?: unknown; en?: unknown } | undefined;
  if (!message || typeof message !== 'object' || typeof message.zh !== 'string' || typeof message.en !== 'string') return body;
  return { ...(body as object), error: { ...error, message: locale === 'en' ? message.en : message.zh } };
}

const viewStaff = permit('marketing.view');
const manageStaff = permit('marketing.manage');

export const pluginRoutes = new Hono<AppEnv>()
  /** The widgets of the shop's enabled plugins, by slot, for the storefront and admin to render. */
  .get('/plugins/widgets', async (c) => {
    const shop = await enabledPlugins(c);
    const widgets = shop.plugins.flatMap((p) => (p.definition.widgets ?? []).map((w) => ({ pluginId: p.definition.id, slot: w.slot, component: w.component, props: w.props ?? {} })));
    return c.json({ widgets: widgets.filter((w) => (widgetSlots as readonly string[]).includes(w.slot)) });
  })
  .on(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], '/plugins/:id/*', async (c) => {
    const id = c.req.param('id');
    const shop = await enabledPlugins(c);
    const plugin = shop.plugins.find((p) => p.definition.id === id);
    if (!plugin) throw new AppError('PLUGIN_UNAVAILABLE');
    const prefix = `/plugins/${id}`;
    const at = c.req.path.indexOf(prefix);
    const path = c.req.path.slice(at + prefix.length) || '/';
    const method = c.req.method;
    let found: { route: PluginRoute; params: Record<string, string> } | null = null;
    for (const route of plugin.definition.routes ?? []) {
      if (route.method !== method) continue;
      const params = matchPath(route.path, path);
      if (params) { found = { route, params }; break; }
    }
    if (!found) throw new AppError('NOT_FOUND');
    const { route, params } = found;
    let memberId: string | null = null;
    let staffId: string | null = null;
    if (route.auth === 'member') {
      const member = await signedInMember(c);
      if (!member) throw new AppError('UNAUTHENTICATED');
      memberId = member.id;
    } else if (route.auth === 'staff') {
      await (method === 'GET' ? viewStaff : manageStaff)(c, async () => {});
      staffId = c.get('staff').id;
    } else {
      memberId = (await signedInMember(c))?.id ?? null;
    }
    const body = await readBody(c, route);
    const def = plugin.definition;
    const { db } = c.get('shop');
    const ctx = {
      pluginId: def.id,
      shop: { slug: c.get('shop').tenant.slug, timeZone: 'Asia/Shanghai' },
      settings: settingsFor(def, plugin.settings),
      db: createPluginDb(db, def.id, def.capabilities, { installedPluginIds: shop.installedIds }),
      log: pluginLog(def.id),
      now: () => c.get('services').platform.clock.now(),
    };
    const request = { params, query: c.req.query(), body, member: memberId ? { id: memberId } : null, staff: staffId ? { id: staffId } : null };
    const outcome = await runAsyncHook({ id: def.id }, () => route.handler(request, ctx), routeBudgetMs, shop.options.breaker, { hook: `route ${method} ${route.path}` });
    if (outcome.status !== 'ok') throw new AppError('PLUGIN_ROUTE_FAILED', { pluginId: def.id });
    const status = outcome.value.status ?? 200;
    if (!Number.isInteger(status) || status < 200 || status > 599 || status === 500) throw new AppError('PLUGIN_ROUTE_FAILED', { pluginId: def.id });
    return c.json(localizedError(outcome.value.body, c.get('locale')) as JsonValue, status as 200);
  });
