import { and, eq, inArray } from 'drizzle-orm';
import { pluginVersions } from '@tuike/db-control';
import type { Clock } from '@tuike/core';
import type { PluginDefinition } from '@tuike/plugin-sdk';
import type { ControlPlane } from '@tuike/tenancy';
import type { Services } from '../context';
import type { PluginRegistry } from './registry';

/** What a shop's `plugin_installs` row says about the code it runs. */
export interface InstalledRef {
  pluginId: string;
  version: string;
  source: 'first_party' | 'marketplace';
}

/**
 * Finds the code for a shop's installed plugin — the hook pipeline and the plugin routes call
 * this, nothing else. A first-party install runs the deployment's bundled definition only when
 * the shop is on that version (after a deploy, until the merchant upgrades, its migrations are
 * behind, so none of its code runs). A marketplace install runs only a version the control plane
 * holds as approved or published, through the registry's digest-and-manifest gate. Answers are
 * kept for `ttlMs`, so a version taken down stops running within that time.
 */
export interface PluginCodeLoader {
  definitionFor(install: InstalledRef): Promise<PluginDefinition | null>;
}

export function createPluginCodeLoader(registry: PluginRegistry, control: ControlPlane, clock: Clock, ttlMs = 30_000): PluginCodeLoader {
  const cache = new Map<string, { definition: PluginDefinition | null; at: number }>();

  async function marketplaceCode(pluginId: string, version: string): Promise<PluginDefinition | null> {
    const [row] = await control.orm.select().from(pluginVersions)
      .where(and(eq(pluginVersions.pluginId, pluginId), eq(pluginVersions.version, version), inArray(pluginVersions.status, ['approved', 'published'])));
    if (!row) return null;
    return registry.approvedBundle({ pluginId, version, sha256: row.bundle.sha256, manifest: row.manifest });
  }

  return {
    async definitionFor(install) {
      if (install.source === 'first_party') {
        const bundled = registry.firstParty().find((d) => d.id === install.pluginId);
        return bundled && bundled.version === install.version ? bundled : null;
      }
      const key = `${install.pluginId}@${install.version}`;
      const hit = cache.get(key);
      if (hit && clock.now() - hit.at < ttlMs) return hit.definition;
      const definition = await marketplaceCode(install.pluginId, install.version);
      if (cache.size > 5_000) cache.clear();
      cache.set(key, { definition, at: clock.now() });
      return definition;
    },
  };
}

const loaders = new WeakMap<Services, PluginCodeLoader>();

/** The app's loader, over its registry and control plane (one per app, made on first use). */
export function pluginCodeOf(services: Services): PluginCodeLoader {
  let loader = loaders.get(services);
  if (!loader) {
    loader = createPluginCodeLoader(services.config.pluginRegistry, services.control, services.platform.clock, Math.max(services.config.tenantCacheTtlMs, 0));
    loaders.set(services, loader);
  }
  return loader;
}
