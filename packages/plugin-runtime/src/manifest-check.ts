import { definePlugin, ENGINE_VERSION, type PluginDefinition, type PluginDefinitionInput } from '@tuike/plugin-sdk';
import { inspectPlugin, pluginIdsConflict, satisfies } from '@tuike/plugin-sdk/engine';
import type { PluginErrorCode } from './errors';

export interface ManifestError {
  code: PluginErrorCode;
  path: string;
  message: string;
}

export interface ValidateManifestOptions {
  /** The platform's engine version; the SDK's by default. */
  engineVersion?: string;
  /** Plugins already installed in the shop: an id whose tables would nest with one of theirs is refused. */
  installedPluginIds?: readonly string[];
}

export type ManifestVerdict = { ok: true; plugin: PluginDefinition } | { ok: false; errors: ManifestError[] };

/**
 * Checks a plugin before the platform loads or installs it — a definition from anywhere (a
 * bundle need not have gone through `definePlugin`): the manifest, its migrations, its engine
 * range against this platform, and its id against the shop's installed plugins.
 */
export function validateManifest(candidate: unknown, options: ValidateManifestOptions = {}): ManifestVerdict {
  const errors: ManifestError[] = inspectPlugin(candidate);
  if (errors.length) return { ok: false, errors };
  // Sound, so definePlugin accepts it: the platform keeps its normalised, frozen copy.
  const plugin: PluginDefinition = definePlugin(candidate as PluginDefinitionInput<unknown, unknown, unknown>);
  const engine = options.engineVersion ?? ENGINE_VERSION;
  if (!satisfies(engine, plugin.engine)) errors.push({ code: 'PLUGIN_ENGINE_MISMATCH', path: 'engine', message: `needs engine ${plugin.engine}; this platform runs ${engine}` });
  for (const other of options.installedPluginIds ?? []) {
    if (other !== plugin.id && pluginIdsConflict(plugin.id, other)) errors.push({ code: 'PLUGIN_ID_CONFLICT', path: 'id', message: `"${plugin.id}" and the installed "${other}" would share table names` });
  }
  return errors.length ? { ok: false, errors } : { ok: true, plugin };
}
