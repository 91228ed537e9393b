/**
 * Semantic versions (semver.org 2.0.0) and the range syntax npm users know, small enough to run
 * anywhere (workerd included). Ranges: `1.2.3`, `=1.2.3`, `>`, `>=`, `<`, `<=`, `^`, `~`, x-ranges
 * (`1.x`, `1.2.*`, `1`, `*`), hyphen ranges (`1.2 - 2.3.4`), several comparators joined by spaces
 * (all must hold) and alternatives joined by `||`. As in npm, a prerelease version satisfies a
 * range only when some comparator of the matching set names the same major.minor.patch with a
 * prerelease of its own: `^1.2.0` does not accept `1.3.0-beta`.
 */
export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: readonly (string | number)[];
}

const numeric = '0|[1-9]\\d*';
const prereleaseId = `(?:${numeric}|\\d*[a-zA-Z-][0-9a-zA-Z-]*)`;
const versionPattern = new RegExp(`^(${numeric})\\.(${numeric})\\.(${numeric})(?:-(${prereleaseId}(?:\\.${prereleaseId})*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$`);

export function parseVersion(text: string): SemVer | null {
  const m = versionPattern.exec(text.trim());
  if (!m) return null;
  const parts = [m[1], m[2], m[3]].map(Number);
  if (parts.some((n) => !Number.isSafeInteger(n))) return null;
  const prerelease = m[4] ? m[4].split('.').map((id) => (/^\d+$/.test(id) ? Number(id) : id)) : [];
  return { major: parts[0]!, minor: parts[1]!, patch: parts[2]!, prerelease };
}

export const isVersion = (text: string) => parseVersion(text) !== null;

function compareIds(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareVersions(a: SemVer, b: SemVer): number {
  const core = Math.sign(a.major - b.major) || Math.sign(a.minor - b.minor) || Math.sign(a.patch - b.patch);
  if (core) return core;
  // A release ranks above its own prereleases.
  if (!a.prerelease.length && !b.prerelease.length) return 0;
  if (!a.prerelease.length) return 1;
  if (!b.prerelease.length) return -1;
  for (let i = 0; i < Math.max(a.prerelease.length, b.prerelease.length); i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const c = compareIds(x, y);
    if (c) return c;
  }
  return 0;
}

type Operator = '<' | '<=' | '>' | '>=' | '=';
interface Comparator {
  op: Operator;
  version: SemVer;
  /** An upper bound we derived (`^1.2.3` → `<2.0.0-0`): its `-0` does not admit prereleases. */
  derived?: true;
}
/** One alternative of a range: every comparator must hold (an empty list matches anything). */
type ComparatorSet = Comparator[];

/** A version with some parts left open (`1.x`, `1`, `*`): null marks a wildcard. */
interface Partial {
  major: number | null;
  minor: number | null;
  patch: number | null;
  prerelease: readonly (string | number)[];
}

const xPart = `(?:${numeric}|[xX*])`;
const partialPattern = new RegExp(`^v?(${xPart})(?:\\.(${xPart})(?:\\.(${xPart})(?:-(${prereleaseId}(?:\\.${prereleaseId})*))?(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?)?)?$`);

function parsePartial(text: string): Partial | null {
  const m = partialPattern.exec(text);
  if (!m) return null;
  const num = (s: string | undefined) => (s === undefined || /^[xX*]$/.test(s) ? null : Number(s));
  const major = num(m[1]);
  const minor = num(m[2]);
  const patch = num(m[3]);
  // After a wildcard only wildcards may follow (`1.x.x`, never `x.1`), and no prerelease.
  if ((major === null && minor !== null) || (minor === null && patch !== null)) return null;
  if (patch === null && m[4]) return null;
  if ([major, minor, patch].some((n) => n !== null && !Number.isSafeInteger(n))) return null;
  const prerelease = m[4] ? m[4].split('.').map((id) => (/^\d+$/.test(id) ? Number(id) : id)) : [];
  return { major, minor, patch, prerelease };
}

const v = (major: number, minor: number, patch: number, prerelease: readonly (string | number)[] = []): SemVer => ({ major, minor, patch, prerelease });
/** The lowest version above every release of a line: `<2.0.0-0` also excludes 2.0.0's prereleases. */
const below = (major: number, minor: number, patch: number): Comparator => ({ op: '<', version: v(major, minor, patch, [0]), derived: true });
const atLeast = (p: Partial): Comparator => ({ op: '>=', version: v(p.major ?? 0, p.minor ?? 0, p.patch ?? 0, p.prerelease) });

function caret(p: Partial): Comparator[] {
  if (p.major === null) return [];
  const lower = atLeast(p);
  if (p.major > 0 || p.minor === null) return [lower, below(p.major + 1, 0, 0)];
  if (p.minor > 0 || p.patch === null) return [lower, below(0, p.minor + 1, 0)];
  return [lower, below(0, 0, p.patch + 1)];
}

function tilde(p: Partial): Comparator[] {
  if (p.major === null) return [];
  if (p.minor === null) return [atLeast(p), below(p.major + 1, 0, 0)];
  return [atLeast(p), below(p.major, p.minor + 1, 0)];
}

/** `=1.x` and bare `1.2` mean the whole line: `>=1.2.0 <1.3.0-0`. */
function exact(p: Partial): Comparator[] {
  if (p.major === null) return [];
  if (p.minor === null) return [atLeast(p), below(p.major + 1, 0, 0)];
  if (p.patch === null) return [atLeast(p), below(p.major, p.minor + 1, 0)];
  return [{ op: '=', version: v(p.major, p.minor, p.patch, p.prerelease) }];
}

function primitive(op: '<' | '<=' | '>' | '>=', p: Partial): Comparator[] | null {
  if (p.major === null) return op === '<' || op === '>' ? null : [];
  const full = p.minor !== null && p.patch !== null;
  if (full) return [{ op, version: v(p.major, p.minor!, p.patch!, p.prerelease) }];
  // Partial versions stand for a whole line: `>1.2` is `>=1.3.0`, `<=1.2` is `<1.3.0-0`.
  const next = p.minor === null ? v(p.major + 1, 0, 0) : v(p.major, p.minor + 1, 0);
  switch (op) {
    case '>=': return [atLeast(p)];
    case '<': return [below(p.major, p.minor ?? 0, 0)];
    case '>': return [{ op: '>=', version: next }];
    case '<=': return [below(next.major, next.minor, next.patch)];
  }
}

function parseComparator(token: string): Comparator[] | null {
  const m = /^(\^|~>?|>=|<=|>|<|=)?\s*(.+)$/.exec(token);
  if (!m) return null;
  const p = parsePartial(m[2]!);
  if (!p) return null;
  const op = m[1];
  if (op === '^') return caret(p);
  if (op === '~' || op === '~>') return tilde(p);
  if (op === undefined || op === '=') return exact(p);
  return primitive(op as '<' | '<=' | '>' | '>=', p);
}

function parseSet(text: string): ComparatorSet | null {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(trimmed);
  if (hyphen) {
    const from = parsePartial(hyphen[1]!);
    const to = parsePartial(hyphen[2]!);
    if (!from || !to) return null;
    const upper = to.major === null ? [] : to.minor === null || to.patch === null ? primitive('<=', to) : [{ op: '<=' as const, version: v(to.major, to.minor, to.patch, to.prerelease) }];
    return [...(from.major === null ? [] : [atLeast(from)]), ...(upper ?? [])];
  }
  // `>= 1.2.3` may carry a space between operator and version.
  const tokens = trimmed.replace(/(\^|~>?|>=|<=|>|<|=)\s+/g, '$1').split(/\s+/);
  const out: ComparatorSet = [];
  for (const t of tokens) {
    const c = parseComparator(t);
    if (!c) return null;
    out.push(...c);
  }
  return out;
}

export interface Range {
  readonly sets: readonly ComparatorSet[];
}

export function parseRange(text: string): Range | null {
  if (text.length > 256) return null;
  const sets: ComparatorSet[] = [];
  for (const part of text.split('||')) {
    const set = parseSet(part);
    if (!set) return null;
    sets.push(set);
  }
  return { sets };
}

export const isRange = (text: string) => parseRange(text) !== null;

function holds(c: Comparator, version: SemVer): boolean {
  const cmp = compareVersions(version, c.version);
  switch (c.op) {
    case '<': return cmp < 0;
    case '<=': return cmp <= 0;
    case '>': return cmp > 0;
    case '>=': return cmp >= 0;
    case '=': return cmp === 0;
  }
}

function setAccepts(set: ComparatorSet, version: SemVer): boolean {
  if (!set.every((c) => holds(c, version))) return false;
  if (!version.prerelease.length) return true;
  // A prerelease is in only if the range itself names a prerelease of the very same release.
  return set.some((c) => !c.derived && c.version.prerelease.length > 0
    && c.version.major === version.major && c.version.minor === version.minor && c.version.patch === version.patch);
}

/** Whether `version` satisfies `range`; false when either does not parse. */
export function satisfies(version: string, range: string): boolean {
  const ver = parseVersion(version);
  const r = parseRange(range);
  if (!ver || !r) return false;
  return r.sets.some((set) => setAccepts(set, ver));
}
