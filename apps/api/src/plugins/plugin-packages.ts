import { AppError } from '@tuike/core';
import type { PluginDefinition } from '@tuike/plugin-sdk';
import { manifestJson, type ManifestJson } from '@tuike/plugin-sdk/engine';
import { validateManifest } from '@tuike/plugin-runtime';
import type { Services } from '../context';
import { checkManifestDocument, settingsOfManifest } from './manifest-document';
import { installableVersion, versionOf } from './marketplace';
import type { PluginPackage } from './shop-plugins';

/** A bundled first-party plugin as a shop installs it. */
export function packageOfDefinition(def: PluginDefinition): PluginPackage {
  return {
    id: def.id, version: def.version, source: 'first_party', capabilities: def.capabilities, migrations: def.migrations,
    settings: def.settings, manifest: manifestJson(def),
    verify: (options) => {
      const verdict = validateManifest(def, options);
      return verdict.ok ? [] : verdict.errors;
    },
  };
}

/** A reviewed marketplace version as a shop installs it: everything comes from its stored manifest. */
export function packageOfManifest(manifest: ManifestJson): PluginPackage {
  return {
    id: manifest.id, version: manifest.version, source: 'marketplace', capabilities: manifest.capabilities, migrations: manifest.migrations,
    settings: settingsOfManifest(manifest), manifest,
    verify: (options) => {
      const check = checkManifestDocument(manifest, options);
      return check.ok ? [] : check.errors;
    },
  };
}

export const bundledDefinition = (services: Services, id: string): PluginDefinition | null =>
  services.config.pluginRegistry.firstParty().find((d) => d.id === id) ?? null;

/** What an install or upgrade of `id` gets: the bundled plugin, or a published marketplace version. */
export async function packageToInstall(services: Services, id: string, version?: string): Promise<PluginPackage> {
  const bundled = bundledDefinition(services, id);
  if (bundled) {
    if (version !== undefined && version !== bundled.version) throw new AppError('PLUGIN_VERSION_NOT_FOUND', { bundled: bundled.version });
    return packageOfDefinition(bundled);
  }
  const { version: row } = await installableVersion(services.control, id, version);
  return packageOfManifest(row.manifest as unknown as ManifestJson);
}

/**
 * The package of what the shop has installed, for its settings. A first-party plugin has one
 * version in the deployment: its settings are that version's (the merchant upgrades to match).
 */
export async function installedPackage(services: Services, install: { pluginId: string; version: string; source: 'first_party' | 'marketplace' }): Promise<PluginPackage> {
  if (install.source === 'first_party') {
    const bundled = bundledDefinition(services, install.pluginId);
    if (!bundled) throw new AppError('PLUGIN_NOT_FOUND', { reason: 'no longer bundled' });
    return packageOfDefinition(bundled);
  }
  const row = await versionOf(services.control, install.pluginId, install.version);
  return packageOfManifest(row.manifest as unknown as ManifestJson);
}
