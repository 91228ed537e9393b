import type { PluginDefinition } from '@tuike/plugin-sdk';
import { manifestJson } from '@tuike/plugin-sdk/engine';
import { validateManifest } from '@tuike/plugin-runtime';
import { firstPartyPlugins } from './first-party';
import { canonicalManifest } from './manifest-document';

/**
 * The one place plugin code comes from. The API never imports, evaluates or fetches a plugin's
 * code by itself: it asks the registry for the definition of `id@version`, and gets one only for
 *
 * - a first-party plugin bundled with this deployment (reviewed with the platform's own code), or
 * - a marketplace version the control plane holds as approved (or published), whose bundle is
 *   the very bundle the reviewer approved — same digest — and whose manifest is the one stored.
 *
 * Everything else — a draft, a rejected version, a bundle that differs by one byte — has no code
 * here: the shop may record the install (its migrations and settings come from the reviewed
 * manifest), but no hook or route of it runs. Today approved third-party code reaches the
 * registry only in-process (tests register it); the next step loads it into a Workers for
 * Platforms dispatch namespace, where it sees nothing but the SDK interface: the SDK is the
 * bundle's only external import (the publishing CLI refuses any other), and the platform
 * passes it inputs, a `PluginDb` confined to its tables and nothing else.
 */
export interface PluginRegistry {
  /** First-party plugins bundled with this deployment (one version of each). */
  firstParty(): readonly PluginDefinition[];
  /** The code of a reviewed marketplace version, or null when this deployment cannot run it. */
  approvedBundle(ref: ApprovedBundleRef): PluginDefinition | null;
}

/** What the control plane says was approved: the caller has checked the version's status. */
export interface ApprovedBundleRef {
  pluginId: string;
  version: string;
  /** The reviewed bundle's digest (`plugin_versions.bundle.sha256`). */
  sha256: string;
  /** The reviewed manifest; code whose own manifest differs is not that version. */
  manifest: unknown;
}

/** Third-party code available to this process, with the digest of the bundle it was built from. */
export interface BundledThirdParty {
  definition: PluginDefinition;
  sha256: string;
}

export interface PluginRegistryOptions {
  firstParty?: readonly PluginDefinition[];
  thirdParty?: readonly BundledThirdParty[];
}

const refOf = (id: string, version: string) => `${id}@${version}`;

/** Refuses at start-up what could never load: an unsound definition or a duplicate entry. */
function checked(def: PluginDefinition, seen: Set<string>, key: string): PluginDefinition {
  const verdict = validateManifest(def);
  if (!verdict.ok) throw new Error(`plugin registry: ${key} is not a sound plugin: ${verdict.errors.map((e) => `${e.code} at ${e.path}`).join(', ')}`);
  if (seen.has(key)) throw new Error(`plugin registry: ${key} is registered twice`);
  seen.add(key);
  return def;
}

export function createPluginRegistry(options: PluginRegistryOptions = {}): PluginRegistry {
  const firstSeen = new Set<string>();
  const firstParty = (options.firstParty ?? []).map((d) => checked(d, firstSeen, d.id));
  const thirdSeen = new Set<string>();
  const thirdParty = new Map((options.thirdParty ?? []).map((b) => {
    const key = refOf(b.definition.id, b.definition.version);
    if (firstSeen.has(b.definition.id)) throw new Error(`plugin registry: ${b.definition.id} is first-party`);
    if (!/^[0-9a-f]{64}$/.test(b.sha256)) throw new Error(`plugin registry: ${key} needs the sha256 of its bundle`);
    return [key, { definition: checked(b.definition, thirdSeen, key), sha256: b.sha256 }] as const;
  }));
  return {
    firstParty: () => firstParty,
    approvedBundle(ref) {
      const entry = thirdParty.get(refOf(ref.pluginId, ref.version));
      if (!entry || entry.sha256 !== ref.sha256) return null;
      if (canonicalManifest(manifestJson(entry.definition)) !== canonicalManifest(ref.manifest as ReturnType<typeof manifestJson>)) return null;
      return entry.definition;
    },
  };
}

/** This deployment's registry: the first-party plugins it ships, no third-party code yet. */
export const bundledPluginRegistry = (): PluginRegistry => createPluginRegistry({ firstParty: firstPartyPlugins });
