import { parseVersion } from '@tuike/plugin-sdk/engine';

const width = 16; // Number.MAX_SAFE_INTEGER has 16 digits
const pad = (n: number) => String(n).padStart(width, '0');

/**
 * A text key whose byte order is semver precedence, so the database can compare versions inside
 * a guarded batch (`published_version_key < ?`). Numbers are zero-padded; a release ends in `~`,
 * which sorts after the `-` of its own prereleases; prerelease identifiers are joined by a space
 * (below every identifier character), numeric ones tagged `0` so they sort before alphanumeric
 * ones (tagged `1`). Build metadata has no precedence and leaves no trace. Null for a non-version.
 */
export function versionKey(version: string): string | null {
  const v = parseVersion(version);
  if (!v) return null;
  const core = `${pad(v.major)}.${pad(v.minor)}.${pad(v.patch)}`;
  if (!v.prerelease.length) return `${core}~`;
  return `${core}-${v.prerelease.map((id) => (typeof id === 'number' ? `0${pad(id)}` : `1${id}`)).join(' ')}`;
}
