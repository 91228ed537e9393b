import { describe, expect, it } from 'vitest';
import { compareVersions, parseVersion } from '@tuike/plugin-sdk/engine';
import { versionKey } from './version-key';

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('versionKey', () => {
  it('orders as semver precedence does, prereleases and all', () => {
    // semver.org §11's own example, plus numbers that sort wrong as text and identifiers that nest.
    const ordered = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-alpha-x', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0',
      '1.0.1', '1.2.0', '1.10.0', '2.0.0-0', '2.0.0-1', '2.0.0-10', '2.0.0-a', '2.0.0', '10.0.0', '9007199254740991.0.0'];
    const keys = ordered.map((v) => versionKey(v)!);
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) {
        const semver = compareVersions(parseVersion(ordered[i]!)!, parseVersion(ordered[j]!)!);
        expect(byteOrder(keys[i]!, keys[j]!), `${ordered[i]} vs ${ordered[j]}`).toBe(semver);
      }
    }
  });

  it('gives versions differing only in build metadata the same key, and none to a non-version', () => {
    expect(versionKey('1.2.3+build.7')).toBe(versionKey('1.2.3'));
    for (const bad of ['1.2', 'v1.2.3', '01.2.3', '1.2.3-', '']) expect(versionKey(bad), bad).toBeNull();
  });
});
