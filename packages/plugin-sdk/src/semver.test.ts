import { describe, expect, it } from 'vitest';
import { compareVersions, isRange, isVersion, parseVersion, satisfies } from './semver';

/** [range, version, expected] — each row was checked against npm's `semver` package once. */
const rangeCases: readonly (readonly [string, string, boolean])[] = [
  ['1.2.3', '1.2.3', true],
  ['1.2.3', '1.2.4', false],
  ['=1.2.3', '1.2.3', true],
  ['v1.2.3', '1.2.3', true],
  ['^1.2.3', '1.2.3', true],
  ['^1.2.3', '1.9.0', true],
  ['^1.2.3', '2.0.0', false],
  ['^1.2.3', '1.2.2', false],
  ['^1.2.3', '2.0.0-alpha', false],
  ['^1.2.3', '1.3.0-beta', false],
  ['^1.2.3-beta.2', '1.2.3-beta.4', true],
  ['^1.2.3-beta.2', '1.2.3-beta.1', false],
  ['^1.2.3-beta.2', '1.2.4-beta.2', false],
  ['^1.2.3-beta.2', '1.2.3', true],
  ['^0.2.3', '0.2.9', true],
  ['^0.2.3', '0.3.0', false],
  ['^0.0.3', '0.0.3', true],
  ['^0.0.3', '0.0.4', false],
  ['^0.x', '0.9.9', true],
  ['^0.x', '1.0.0', false],
  ['^0.0.x', '0.0.7', true],
  ['^0.0.x', '0.1.0', false],
  ['^0.0', '0.0.9', true],
  ['^0.0', '0.1.0', false],
  ['^1.x', '1.99.0', true],
  ['^1.2.x', '1.2.0', true],
  ['^1.2.x', '1.1.9', false],
  ['^1', '1.5.0', true],
  ['^1', '2.0.0', false],
  ['~1.2.3', '1.2.9', true],
  ['~1.2.3', '1.3.0', false],
  ['~1.2', '1.2.0', true],
  ['~1.2', '1.3.0', false],
  ['~1', '1.9.9', true],
  ['~1', '2.0.0', false],
  ['~0.2.3', '0.2.4', true],
  ['~0.2.3', '0.3.0', false],
  ['~>1.2.3', '1.2.5', true],
  ['>=1.2.3', '1.2.3', true],
  ['>=1.2.3', '9.0.0', true],
  ['>=1.2.3', '1.2.2', false],
  ['>=1.2.3', '1.3.0-rc.1', false],
  ['>1.2.3', '1.2.3', false],
  ['>1.2.3', '1.2.4', true],
  ['<1.2.3', '1.2.2', true],
  ['<1.2.3', '1.2.3', false],
  ['<1.2.3', '1.2.3-rc.1', false],
  ['<=1.2.3', '1.2.3', true],
  ['>=1.2', '1.2.0', true],
  ['>1.2', '1.2.9', false],
  ['>1.2', '1.3.0', true],
  ['>1', '1.9.9', false],
  ['>1', '2.0.0', true],
  ['<1.2', '1.1.9', true],
  ['<1.2', '1.2.0', false],
  ['<=1.2', '1.2.9', true],
  ['<=1.2', '1.3.0', false],
  ['<=1', '1.9.9', true],
  ['<=1', '2.0.0', false],
  ['>= 1.0.0 < 2.0.0', '1.5.0', true],
  ['>=1.0.0 <2.0.0', '2.0.0', false],
  ['>=1.0.0 <2.0.0', '0.9.0', false],
  ['1.x', '1.4.2', true],
  ['1.x', '2.0.0', false],
  ['1.2.x', '1.2.7', true],
  ['1.2.x', '1.3.0', false],
  ['1.2.*', '1.2.0', true],
  ['1.X', '1.0.0', true],
  ['1', '1.0.0', true],
  ['1', '2.0.0', false],
  ['1.2', '1.2.5', true],
  ['1.2', '1.3.0', false],
  ['*', '0.0.1', true],
  ['*', '3.0.0-beta', false],
  ['x', '10.0.0', true],
  ['', '1.0.0', true],
  ['1.2.3 - 2.3.4', '1.2.3', true],
  ['1.2.3 - 2.3.4', '2.3.4', true],
  ['1.2.3 - 2.3.4', '2.3.5', false],
  ['1.2 - 2.3', '2.3.9', true],
  ['1.2 - 2.3', '2.4.0', false],
  ['1.2 - 2', '2.9.9', true],
  ['1.2 - 2', '1.1.9', false],
  ['^1.0.0 || ^3.0.0', '3.1.0', true],
  ['^1.0.0 || ^3.0.0', '2.1.0', false],
  ['<1.0.0 || >=2.0.0', '1.5.0', false],
  ['<1.0.0 || >=2.0.0', '0.5.0', true],
  ['1.0.0-rc.1', '1.0.0-rc.1', true],
  ['>=1.0.0-rc.1', '1.0.0-rc.2', true],
  ['>=1.0.0-rc.1', '1.0.0', true],
  ['>=1.0.0-rc.1', '1.0.1-rc.1', false],
  ['1.0.0', '1.0.0+build.5', true],
];

describe('semver versions', () => {
  it('parses versions with prerelease and build, rejecting leading zeros and partials', () => {
    expect(parseVersion('1.2.3-beta.1+sha.abc')).toEqual({ major: 1, minor: 2, patch: 3, prerelease: ['beta', 1] });
    for (const bad of ['1.2', '01.2.3', '1.02.3', '1.2.3-', '1.2.3-01', 'a.b.c', '1.2.3.4', '', 'v']) expect(isVersion(bad), bad).toBe(false);
  });

  it('orders releases above their prereleases and compares prerelease ids numerically before lexically', () => {
    const sorted = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.1.0', '2.0.0'];
    for (let i = 1; i < sorted.length; i++) {
      expect(compareVersions(parseVersion(sorted[i - 1]!)!, parseVersion(sorted[i]!)!), `${sorted[i - 1]} < ${sorted[i]}`).toBe(-1);
      expect(compareVersions(parseVersion(sorted[i]!)!, parseVersion(sorted[i - 1]!)!)).toBe(1);
    }
    expect(compareVersions(parseVersion('1.0.0+a')!, parseVersion('1.0.0+b')!)).toBe(0);
  });
});

describe('semver ranges', () => {
  it.each(rangeCases)('%s accepts %s: %s', (range, version, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });

  it('refuses ranges it does not understand instead of matching everything', () => {
    for (const bad of ['^^1.2.3', '>=x.1', '1.2.3.4', 'latest', '>= ', '~1.2.3 || abc', '1.2.3 -']) {
      expect(isRange(bad), bad).toBe(false);
      expect(satisfies('1.2.3', bad), bad).toBe(false);
    }
  });

  it('is false for a version that does not parse', () => {
    expect(satisfies('1.2', '*')).toBe(false);
  });
});
