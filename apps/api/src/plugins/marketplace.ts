import { and, asc, desc, eq, isNotNull, sql, type SQL } from 'drizzle-orm';
import { AppError, isCheckViolation, isUniqueViolation } from '@tuike/core';
import { accounts, plugins, pluginVersions, type LocalizedText, type PluginBundleMeta, type PluginCategory, type PluginVersionStatus } from '@tuike/db-control';
import type { ManifestJson } from '@tuike/plugin-sdk/engine';
import type { ControlPlane } from '@tuike/tenancy';
import { checkManifestDocument } from './manifest-document';
import { manifestRefused } from './plugin-errors';
import { versionKey } from './version-key';

/**
 * The marketplace in the control plane (G2): authors' listings and versions, and the review flow
 * draft → submitted → approved | rejected, approved → published. Every status change is one
 * batch whose UPDATE names the status it leaves and whose guard row fails the batch unless that
 * UPDATE changed exactly one row; the database's triggers (migration 0002) keep a submitted
 * version's manifest and bundle from ever changing and refuse any other status change.
 */

export type PluginRow = typeof plugins.$inferSelect;
export type PluginVersionRow = typeof pluginVersions.$inferSelect;

/** The signed-in platform account acting. */
export interface PlatformActor {
  id: string;
  email: string;
  roles: readonly string[];
}

export interface ListingInput {
  id: string;
  name: LocalizedText;
  summary: LocalizedText;
  description: LocalizedText;
  screenshots: string[];
  category: PluginCategory;
}

export interface VersionUpload {
  manifest: unknown;
  bundle: PluginBundleMeta;
}

export type ReviewMove = 'submit' | 'approve' | 'reject' | 'publish';
const moves: Record<ReviewMove, { from: PluginVersionStatus; to: PluginVersionStatus }> = {
  submit: { from: 'draft', to: 'submitted' },
  approve: { from: 'submitted', to: 'approved' },
  reject: { from: 'submitted', to: 'rejected' },
  publish: { from: 'approved', to: 'published' },
};

/** Words the listing routes use beside `/:id`; no plugin may be called so. */
export const reservedPluginIds: ReadonlySet<string> = new Set(['mine', 'queue', 'author']);

const guard = (name: string, condition: SQL) => sql`INSERT INTO invariant_guards (name, holds) SELECT ${name}, (${condition})`;
const movedOne = (name: string) => guard(name, sql`changes() = 1`);
const clearGuards = sql`DELETE FROM invariant_guards`;

export function listingView(p: PluginRow) {
  return {
    id: p.id, name: p.name, summary: p.summary, description: p.description, screenshots: p.screenshots, category: p.category,
    publishedVersion: p.publishedVersion, createdAt: p.createdAt, updatedAt: p.updatedAt,
  };
}

export function versionView(row: PluginVersionRow, withManifest = true) {
  return {
    pluginId: row.pluginId, version: row.version, status: row.status, capabilities: row.capabilities, bundle: row.bundle,
    reviewNote: row.reviewNote, createdAt: row.createdAt, submittedAt: row.submittedAt, reviewedAt: row.reviewedAt, publishedAt: row.publishedAt,
    ...(withManifest ? { manifest: row.manifest as unknown as ManifestJson } : {}),
  };
}

async function pluginOf(control: ControlPlane, id: string): Promise<PluginRow> {
  const [row] = await control.orm.select().from(plugins).where(eq(plugins.id, id));
  if (!row) throw new AppError('PLUGIN_NOT_FOUND');
  return row;
}

/** The plugin, if `actor` is its author. */
async function authoredBy(control: ControlPlane, actor: PlatformActor, id: string): Promise<PluginRow> {
  const row = await pluginOf(control, id);
  if (row.authorAccountId !== actor.id) throw new AppError('FORBIDDEN', { reason: 'not-the-author' });
  return row;
}

export async function versionOf(control: ControlPlane, pluginId: string, version: string): Promise<PluginVersionRow> {
  const [row] = await control.orm.select().from(pluginVersions).where(and(eq(pluginVersions.pluginId, pluginId), eq(pluginVersions.version, version)));
  if (!row) throw new AppError('PLUGIN_VERSION_NOT_FOUND');
  return row;
}

/** A version as its author or a reviewer sees it (drafts included); 403 for anyone else. */
export async function versionForViewer(control: ControlPlane, actor: PlatformActor, pluginId: string, version: string): Promise<PluginVersionRow> {
  const plugin = await pluginOf(control, pluginId);
  if (plugin.authorAccountId !== actor.id && !actor.roles.includes('reviewer')) throw new AppError('FORBIDDEN', { reason: 'not-the-author' });
  return versionOf(control, pluginId, version);
}

export async function createListing(control: ControlPlane, actor: PlatformActor, input: ListingInput, now: number, isFirstParty: (id: string) => boolean): Promise<PluginRow> {
  if (reservedPluginIds.has(input.id) || isFirstParty(input.id)) throw new AppError('PLUGIN_ID_TAKEN');
  const row: PluginRow = { ...input, authorAccountId: actor.id, publishedVersion: null, publishedVersionKey: null, createdAt: now, updatedAt: now };
  try {
    await control.orm.insert(plugins).values(row);
  } catch (e) {
    if (isUniqueViolation(e, 'plugins.id')) throw new AppError('PLUGIN_ID_TAKEN');
    throw e;
  }
  return row;
}

export async function updateListing(control: ControlPlane, actor: PlatformActor, id: string, patch: Partial<Omit<ListingInput, 'id'>>, now: number): Promise<PluginRow> {
  await authoredBy(control, actor, id);
  await control.orm.update(plugins).set({ ...patch, updatedAt: now }).where(eq(plugins.id, id));
  return pluginOf(control, id);
}

/** Judges the upload with the runtime's manifest check; it must be a version of this very plugin. */
function checkedUpload(pluginId: string, upload: VersionUpload): { manifest: ManifestJson; key: string } {
  const check = checkManifestDocument(upload.manifest);
  if (!check.ok) throw manifestRefused(check.errors);
  if (check.manifest.id !== pluginId) throw manifestRefused([{ code: 'PLUGIN_MANIFEST_INVALID', path: 'id', message: `the manifest is for "${check.manifest.id}", not "${pluginId}"` }]);
  return { manifest: check.manifest, key: versionKey(check.manifest.version)! };
}

const notNewer = (published: PluginRow) => new AppError('PLUGIN_VERSION_NOT_NEWER', { published: published.publishedVersion });
const newerThanPublished = (pluginId: string, key: string) =>
  sql`NOT EXISTS (SELECT 1 FROM plugins WHERE id = ${pluginId} AND published_version_key >= ${key})`;

/** A new draft version; it must rank above the published one (checked again inside the batch). */
export async function addVersion(control: ControlPlane, actor: PlatformActor, pluginId: string, upload: VersionUpload, now: number): Promise<PluginVersionRow> {
  const plugin = await authoredBy(control, actor, pluginId);
  const { manifest, key } = checkedUpload(pluginId, upload);
  if (plugin.publishedVersionKey !== null && key <= plugin.publishedVersionKey) throw notNewer(plugin);
  const row: PluginVersionRow = {
    pluginId, version: manifest.version, versionKey: key, status: 'draft', manifest: manifest as unknown as Record<string, unknown>,
    capabilities: [...manifest.capabilities], bundle: upload.bundle, reviewNote: null, reviewerAccountId: null,
    createdAt: now, updatedAt: now, submittedAt: null, reviewedAt: null, publishedAt: null,
  };
  try {
    await control.orm.batch([
      control.orm.insert(pluginVersions).values(row),
      control.orm.run(guard('version_newer_than_published', newerThanPublished(pluginId, key))),
      control.orm.run(clearGuards),
    ]);
  } catch (e) {
    if (isUniqueViolation(e, 'plugin_versions.plugin_id')) throw new AppError('PLUGIN_VERSION_EXISTS');
    if (isCheckViolation(e, 'invariant_guards')) throw notNewer(await pluginOf(control, pluginId));
    throw e;
  }
  return row;
}

/** Replaces a draft's manifest and bundle (same version number); nothing else can change. */
export async function replaceDraft(control: ControlPlane, actor: PlatformActor, pluginId: string, version: string, upload: VersionUpload, now: number): Promise<PluginVersionRow> {
  await authoredBy(control, actor, pluginId);
  const current = await versionOf(control, pluginId, version);
  const { manifest } = checkedUpload(pluginId, upload);
  if (manifest.version !== version) throw manifestRefused([{ code: 'PLUGIN_MANIFEST_INVALID', path: 'version', message: `the manifest is version ${manifest.version}, not ${version}` }]);
  if (current.status !== 'draft') throw new AppError('PLUGIN_VERSION_STATE', { status: current.status });
  try {
    await control.orm.batch([
      control.orm.update(pluginVersions)
        .set({ manifest: manifest as unknown as Record<string, unknown>, capabilities: [...manifest.capabilities], bundle: upload.bundle, updatedAt: now })
        .where(and(eq(pluginVersions.pluginId, pluginId), eq(pluginVersions.version, version), eq(pluginVersions.status, 'draft'))),
      control.orm.run(movedOne('draft_replaced')),
      control.orm.run(clearGuards),
    ]);
  } catch (e) {
    if (isCheckViolation(e, 'invariant_guards')) throw new AppError('PLUGIN_VERSION_STATE', { status: (await versionOf(control, pluginId, version)).status });
    throw e;
  }
  return versionOf(control, pluginId, version);
}

/**
 * One step of the review flow. `submit` is the author's; the others a reviewer's, who may not
 * review their own plugin. Publishing also raises the listing's published version, guarded so
 * that it only ever goes up, whatever else is published meanwhile.
 */
export async function moveVersion(control: ControlPlane, actor: PlatformActor, pluginId: string, version: string, move: ReviewMove, note: string | null, now: number): Promise<PluginVersionRow> {
  const plugin = await pluginOf(control, pluginId);
  const row = await versionOf(control, pluginId, version);
  const isAuthor = plugin.authorAccountId === actor.id;
  if (move === 'submit' ? !isAuthor : isAuthor) throw new AppError('FORBIDDEN', { reason: move === 'submit' ? 'not-the-author' : 'own-plugin' });
  const { from, to } = moves[move];
  if (row.status !== from) throw new AppError('PLUGIN_VERSION_STATE', { status: row.status });
  if (move === 'publish' && plugin.publishedVersionKey !== null && row.versionKey <= plugin.publishedVersionKey) throw notNewer(plugin);

  const stamp = move === 'submit' ? { submittedAt: now } : move === 'publish' ? { publishedAt: now } : { reviewedAt: now, reviewerAccountId: actor.id, reviewNote: note };
  const which = and(eq(pluginVersions.pluginId, pluginId), eq(pluginVersions.version, version), eq(pluginVersions.status, from));
  const raisePublished = move === 'publish'
    ? [
      control.orm.update(plugins).set({ publishedVersion: version, publishedVersionKey: row.versionKey, updatedAt: now })
        .where(and(eq(plugins.id, pluginId), sql`(${plugins.publishedVersionKey} IS NULL OR ${plugins.publishedVersionKey} < ${row.versionKey})`)),
      control.orm.run(movedOne('published_version_raised')),
    ]
    : [];
  try {
    await control.orm.batch([
      control.orm.update(pluginVersions).set({ status: to, updatedAt: now, ...stamp }).where(which),
      control.orm.run(movedOne(`version_${move}`)),
      ...raisePublished,
      control.orm.run(clearGuards),
    ]);
  } catch (e) {
    if (!isCheckViolation(e, 'invariant_guards')) throw e;
    // Lost a race: either the version moved meanwhile, or a higher version was published.
    const now2 = await versionOf(control, pluginId, version);
    if (now2.status !== from) throw new AppError('PLUGIN_VERSION_STATE', { status: now2.status });
    throw notNewer(await pluginOf(control, pluginId));
  }
  return versionOf(control, pluginId, version);
}

/** Versions waiting for review, oldest submission first. */
export async function reviewQueue(control: ControlPlane) {
  const rows = await control.orm.select({ version: pluginVersions, plugin: plugins, authorEmail: accounts.email }).from(pluginVersions)
    .innerJoin(plugins, eq(plugins.id, pluginVersions.pluginId))
    .innerJoin(accounts, eq(accounts.id, plugins.authorAccountId))
    .where(eq(pluginVersions.status, 'submitted'))
    .orderBy(asc(pluginVersions.submittedAt), asc(pluginVersions.pluginId));
  return rows.map((r) => ({ plugin: listingView(r.plugin), author: r.authorEmail, version: versionView(r.version) }));
}

/** An author's listings, each with all its versions (newest first). */
export async function authorPlugins(control: ControlPlane, actor: PlatformActor) {
  const own = await control.orm.select().from(plugins).where(eq(plugins.authorAccountId, actor.id)).orderBy(asc(plugins.id));
  const versions = own.length
    ? await control.orm.select().from(pluginVersions).innerJoin(plugins, eq(plugins.id, pluginVersions.pluginId))
      .where(eq(plugins.authorAccountId, actor.id)).orderBy(desc(pluginVersions.versionKey))
    : [];
  return own.map((p) => ({ ...listingView(p), versions: versions.filter((v) => v.plugin_versions.pluginId === p.id).map((v) => versionView(v.plugin_versions, false)) }));
}

/** Every listing with a published version, with that version (what the marketplace shows). */
export async function publishedListings(control: ControlPlane) {
  const rows = await control.orm.select({ plugin: plugins, version: pluginVersions }).from(plugins)
    .innerJoin(pluginVersions, and(eq(pluginVersions.pluginId, plugins.id), eq(pluginVersions.version, plugins.publishedVersion)))
    .where(isNotNull(plugins.publishedVersion))
    .orderBy(asc(plugins.id));
  return rows.map((r) => ({ listing: r.plugin, version: r.version }));
}

/** A published listing with its published versions, newest first; 404 until something is published. */
export async function publishedListing(control: ControlPlane, id: string) {
  const plugin = await pluginOf(control, id);
  if (plugin.publishedVersion === null) throw new AppError('PLUGIN_NOT_FOUND');
  const versions = await control.orm.select().from(pluginVersions)
    .where(and(eq(pluginVersions.pluginId, id), eq(pluginVersions.status, 'published'))).orderBy(desc(pluginVersions.versionKey));
  return { listing: plugin, versions };
}

/**
 * The marketplace version a shop may install: the given one or the listing's newest published.
 * Only a published version (reviewed, approved, released) is installable.
 */
export async function installableVersion(control: ControlPlane, pluginId: string, version?: string): Promise<{ listing: PluginRow; version: PluginVersionRow }> {
  const listing = await pluginOf(control, pluginId);
  const wanted = version ?? listing.publishedVersion;
  if (wanted === null) throw new AppError('PLUGIN_VERSION_NOT_INSTALLABLE', { status: 'unpublished' });
  const row = await versionOf(control, pluginId, wanted);
  if (row.status !== 'published') throw new AppError('PLUGIN_VERSION_NOT_INSTALLABLE', { status: row.status });
  return { listing, version: row };
}
