import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { eq } from 'drizzle-orm';
import { AppError } from '@tuike/core';
import { pluginInstalls, settings } from '@tuike/db-tenant';
import type { PluginDefinition } from '@tuike/plugin-sdk';
import { compareVersions, isVersion, parseVersion, pluginIdPattern, type ManifestJson } from '@tuike/plugin-sdk/engine';
import { defaultStackingRules, stackingRules, stackingRulesSchema, type StackingRulesInput } from '@tuike/plugin-runtime';
import type { AppEnv } from '../context';
import { auditStatement, commitAudited } from '../http/audited';
import { json } from '../http/json-body';
import { permit } from '../http/staff-auth';
import { publishedListing, publishedListings, type PluginRow } from '../plugins/marketplace';
import { pluginCodeOf } from '../plugins/plugin-code';
import { STACKING_KEY, storedOverrides } from '../plugins/stacking-settings';
import { bundledDefinition, installedPackage, packageOfDefinition, packageToInstall } from '../plugins/plugin-packages';
import {
  configurePlugin, installOf, installPlugin, installView, patchInstall, settingsForm, uninstallPlugin, upgradePlugin,
  type ChangeContext, type InstallRow, type ShopTarget,
} from '../plugins/shop-plugins';

const Version = v.pipe(v.string(), v.maxLength(100), v.check(isVersion, 'a semantic version such as 1.2.3'));
const InstallInput = v.strictObject({ version: v.optional(Version) });
const UninstallInput = v.strictObject({ keepData: v.boolean() });
const InstallPatch = v.strictObject({
  enabled: v.optional(v.boolean()),
  critical: v.optional(v.boolean()),
  position: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(10_000))),
});
const SettingsInput = v.strictObject({ values: v.record(v.string(), v.unknown()) });
/** The shop's stacking overrides; a pair of classes is named at most once (in either order). */
const StackingInput = v.pipe(stackingRulesSchema, v.check(
  (r) => new Set((r.pairs ?? []).map((p) => [...p.classes].sort().join('+'))).size === (r.pairs ?? []).length,
  'each pair of classes at most once',
));

/** What the stacking page shows: the merchant's overrides, the rules in force, and the defaults they replace. */
const stackingView = (overrides: StackingRulesInput) => ({ overrides, rules: stackingRules(overrides), defaults: defaultStackingRules });

const pluginId = (c: Context<AppEnv>): string => {
  const id = c.req.param('id') ?? '';
  if (!pluginIdPattern.test(id)) throw new AppError('PLUGIN_NOT_FOUND');
  return id;
};

const shopOf = (c: Context<AppEnv>): ShopTarget => c.get('shop');
const changeContext = (c: Context<AppEnv>): ChangeContext => ({ now: c.get('services').platform.clock.now(), audit: (entry) => auditStatement(c, entry) });

/** One entry of the shop's plugin list: what is offered, what this shop has of it, whether it can run. */
interface Offer {
  id: string;
  source: 'first_party' | 'marketplace';
  name: { zh: string; en: string };
  summary: { zh: string; en: string } | null;
  category: string | null;
  screenshots: string[];
  /** The version an install or upgrade gets; null when nothing is offered any more. */
  available: string | null;
  capabilities: readonly string[];
}

const isNewer = (a: string | null, b: string) => {
  const x = a === null ? null : parseVersion(a);
  const y = parseVersion(b);
  return x !== null && y !== null && compareVersions(x, y) > 0;
};

const firstPartyOffer = (d: PluginDefinition): Offer => ({
  id: d.id, source: 'first_party', name: d.name, summary: d.description, category: null, screenshots: [], available: d.version, capabilities: d.capabilities,
});

const marketplaceOffer = (listing: PluginRow, capabilities: readonly string[]): Offer => ({
  id: listing.id, source: 'marketplace', name: listing.name, summary: listing.summary, category: listing.category, screenshots: listing.screenshots,
  available: listing.publishedVersion, capabilities,
});

/** An installed plugin no longer offered (delisted, or no longer bundled): still shown, to be managed. */
const orphanOffer = (install: InstallRow): Offer => ({
  id: install.pluginId, source: install.source, name: { zh: install.pluginId, en: install.pluginId }, summary: null, category: null, screenshots: [], available: null, capabilities: [],
});

async function present(c: Context<AppEnv>, offer: Offer, install: InstallRow | undefined) {
  const code = pluginCodeOf(c.get('services'));
  // Runnable: this deployment has the code for the installed (or, before install, the offered) version.
  const version = install?.version ?? offer.available;
  const runnable = version !== null && (await code.definitionFor({ pluginId: offer.id, version, source: install?.source ?? offer.source })) !== null;
  return { ...offer, installed: install ? installView(install) : null, upgradeAvailable: install ? isNewer(offer.available, install.version) : false, runnable };
}

/** The offers this shop sees: bundled first-party plugins, then published marketplace listings. */
async function offers(c: Context<AppEnv>): Promise<Offer[]> {
  const services = c.get('services');
  const bundled = services.config.pluginRegistry.firstParty().map(firstPartyOffer);
  const taken = new Set(bundled.map((o) => o.id));
  const listed = (await publishedListings(services.control))
    .filter((r) => !taken.has(r.listing.id))
    .map((r) => marketplaceOffer(r.listing, r.version.capabilities));
  return [...bundled, ...listed];
}

/** One plugin with its full manifest (capabilities, hooks, tables) for the merchant to read before installing. */
async function offerDetail(c: Context<AppEnv>, id: string, install: InstallRow | undefined): Promise<{ offer: Offer; description: { zh: string; en: string } | null; manifest: ManifestJson | null }> {
  const services = c.get('services');
  const bundled = bundledDefinition(services, id);
  if (bundled) return { offer: firstPartyOffer(bundled), description: bundled.description, manifest: packageOfDefinition(bundled).manifest };
  const listed = await publishedListing(services.control, id).catch((e: unknown) => {
    if (e instanceof AppError && e.code === 'PLUGIN_NOT_FOUND') return null;
    throw e;
  });
  const latest = listed?.versions[0];
  if (listed && latest) return { offer: marketplaceOffer(listed.listing, latest.capabilities), description: listed.listing.description, manifest: latest.manifest as unknown as ManifestJson };
  if (!install) throw new AppError('PLUGIN_NOT_FOUND');
  return { offer: orphanOffer(install), description: null, manifest: (await installedPackage(services, install).catch(() => null))?.manifest ?? null };
}

/**
 * The shop's plugins (G2) under /api/admin/plugins, all behind `plugins.manage`: the marketplace
 * as this shop sees it, install (migrations run on this shop's database only), upgrade, enable and
 * disable, critical, hook order, settings (validated by the plugin's schema; the form for the UI
 * is generated from it), uninstall keeping or removing the plugin's data. Every change is audited
 * in its own batch.
 */
export const adminPluginRoutes = new Hono<AppEnv>()
  .get('/plugin-stacking', permit('plugins.manage'), async (c) => {
    const [row] = await c.get('shop').orm.select().from(settings).where(eq(settings.key, STACKING_KEY));
    return c.json(stackingView(storedOverrides(row?.value)));
  })
  .put('/plugin-stacking', permit('plugins.manage'), json(StackingInput), async (c) => {
    const input = c.req.valid('json');
    const { orm } = c.get('shop');
    const now = c.get('services').platform.clock.now();
    const [row] = await orm.select().from(settings).where(eq(settings.key, STACKING_KEY));
    await commitAudited(c, [orm.insert(settings).values({ key: STACKING_KEY, value: input, updatedAt: now }).onConflictDoUpdate({ target: settings.key, set: { value: input, updatedAt: now } })],
      { entity: 'settings', entityId: STACKING_KEY, action: 'update', before: row ? storedOverrides(row.value) : null, after: input });
    return c.json(stackingView(input));
  })
  .get('/plugins', permit('plugins.manage'), async (c) => {
    const installs = await c.get('shop').orm.select().from(pluginInstalls);
    const byId = new Map(installs.map((i) => [i.pluginId, i]));
    const offered = await offers(c);
    const listed = new Set(offered.map((o) => o.id));
    const all = [...offered, ...installs.filter((i) => !listed.has(i.pluginId)).map(orphanOffer)];
    return c.json({ plugins: await Promise.all(all.map((o) => present(c, o, byId.get(o.id)))) });
  })
  .get('/plugins/:id', permit('plugins.manage'), async (c) => {
    const id = pluginId(c);
    const [install] = await c.get('shop').orm.select().from(pluginInstalls).where(eq(pluginInstalls.pluginId, id));
    const { offer, description, manifest } = await offerDetail(c, id, install);
    return c.json({ plugin: { ...(await present(c, offer, install)), description, manifest } });
  })
  .post('/plugins/:id/install', permit('plugins.manage'), json(InstallInput), async (c) => {
    const pkg = await packageToInstall(c.get('services'), pluginId(c), c.req.valid('json').version);
    const result = await installPlugin(shopOf(c), pkg, changeContext(c));
    return c.json({ install: installView(result.install), appliedSteps: result.steps }, result.created ? 201 : 200);
  })
  .post('/plugins/:id/upgrade', permit('plugins.manage'), json(InstallInput), async (c) => {
    const id = pluginId(c);
    await installOf(shopOf(c), id);
    const pkg = await packageToInstall(c.get('services'), id, c.req.valid('json').version);
    const result = await upgradePlugin(shopOf(c), pkg, changeContext(c));
    return c.json({ install: installView(result.install), appliedSteps: result.steps, needsSettings: result.needsSettings });
  })
  .post('/plugins/:id/uninstall', permit('plugins.manage'), json(UninstallInput), async (c) => {
    const result = await uninstallPlugin(shopOf(c), pluginId(c), c.req.valid('json').keepData, changeContext(c));
    return c.json({ uninstalled: true, droppedTables: result.dropped });
  })
  .patch('/plugins/:id', permit('plugins.manage'), json(InstallPatch), async (c) => {
    const id = pluginId(c);
    const settingsOf = async () => (await installedPackage(c.get('services'), await installOf(shopOf(c), id))).settings;
    const row = await patchInstall(shopOf(c), id, c.req.valid('json'), settingsOf, changeContext(c));
    return c.json({ install: installView(row) });
  })
  .get('/plugins/:id/settings', permit('plugins.manage'), async (c) => {
    const install = await installOf(shopOf(c), pluginId(c));
    const pkg = await installedPackage(c.get('services'), install);
    return c.json(settingsForm(pkg.settings, install.settings));
  })
  .put('/plugins/:id/settings', permit('plugins.manage'), json(SettingsInput), async (c) => {
    const id = pluginId(c);
    const install = await installOf(shopOf(c), id);
    const pkg = await installedPackage(c.get('services'), install);
    const values = await configurePlugin(shopOf(c), id, pkg.settings, c.req.valid('json').values, changeContext(c));
    return c.json({ form: pkg.settings.form, values });
  });
