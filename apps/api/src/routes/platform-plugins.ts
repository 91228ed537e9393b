import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { sql } from 'drizzle-orm';
import { AppError } from '@tuike/core';
import { pluginCategories } from '@tuike/db-control';
import { pluginIdPattern } from '@tuike/plugin-sdk/engine';
import { json } from '../http/json-body';
import {
  addVersion, authorPlugins, createListing, listingView, moveVersion, publishedListing, publishedListings, replaceDraft, reviewQueue,
  updateListing, versionForViewer, versionView, type ReviewMove,
} from '../plugins/marketplace';
import { platformAccount, type PlatformEnv } from '../plugins/platform-accounts';
import { bundledDefinition } from '../plugins/plugin-packages';

const text = (max: number) => v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(max));
const Localized = (max: number) => v.strictObject({ zh: text(max), en: text(max) });
/** An https URL, or a blob key under `plugins/` (for uploads the platform will store). */
const Screenshot = v.pipe(v.string(), v.maxLength(500), v.check((s) => /^https:\/\/[^\s]+$/.test(s) || /^plugins\/[a-z0-9-]+\/[A-Za-z0-9._-]+$/.test(s), 'an https URL or a plugins/… blob key'));
const Listing = {
  name: Localized(60),
  summary: Localized(200),
  description: Localized(5000),
  screenshots: v.pipe(v.array(Screenshot), v.maxLength(10)),
  category: v.picklist(pluginCategories),
};
const ListingInput = v.strictObject({ id: v.pipe(v.string(), v.regex(pluginIdPattern, 'a plugin id: 2–31 lowercase letters, digits and single hyphens')), ...Listing, screenshots: v.optional(Listing.screenshots, []) });
const ListingPatch = v.strictObject({
  name: v.optional(Listing.name), summary: v.optional(Listing.summary), description: v.optional(Listing.description),
  screenshots: v.optional(Listing.screenshots), category: v.optional(Listing.category),
});
/** What the publishing CLI measured of the bundle (esbuild, SDK external). */
const Bundle = v.strictObject({
  sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256')),
  size: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(10 * 1024 * 1024)),
  entry: v.pipe(v.string(), v.regex(/^(?!.*\.\.)[A-Za-z0-9._/-]{1,200}$/, 'a relative path')),
});
// The manifest is judged by the plugin runtime (its own stable codes), not by the body schema.
const VersionUpload = v.strictObject({ manifest: v.unknown(), bundle: Bundle });
const ReviewNote = v.strictObject({ note: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(2000))), null) });
const Rejection = v.strictObject({ note: text(2000) });

/** `:id` and `:version` from the path; nothing that is not a plugin id reaches the database. */
function idParam(id: string): string {
  if (!pluginIdPattern.test(id)) throw new AppError('PLUGIN_NOT_FOUND');
  return id;
}
function versionParam(version: string): string {
  if (version.length > 100) throw new AppError('PLUGIN_VERSION_NOT_FOUND');
  return version;
}

const author = platformAccount('author');
const reviewer = platformAccount('reviewer');
const signedIn = platformAccount();

/**
 * The plugin marketplace on the platform host (G2), under /api/platform/plugins.
 *
 * Public: the published listings. Authors (accounts with the `author` role, which an account
 * takes with POST /author) create listings, upload versions (manifest + bundle metadata, judged
 * by the plugin runtime's manifest check) and submit them. Reviewers (platform operators named in
 * PLATFORM_REVIEWERS) see the queue, approve or reject with a note, and publish approved
 * versions — never of their own plugins. Anyone else gets 403.
 */
export const platformPluginRoutes = new Hono<PlatformEnv>()
  .use(async (c, next) => {
    if (c.get('address').kind !== 'platform') throw new AppError('NOT_FOUND');
    await next();
  })
  .get('/', async (c) => {
    const rows = await publishedListings(c.get('services').control);
    return c.json({ plugins: rows.map((r) => ({ ...listingView(r.listing), version: versionView(r.version) })) });
  })
  .get('/mine', author, async (c) => c.json({ plugins: await authorPlugins(c.get('services').control, c.get('account')) }))
  .get('/queue', reviewer, async (c) => c.json({ versions: await reviewQueue(c.get('services').control) }))
  .post('/author', signedIn, async (c) => {
    const { control } = c.get('services');
    const account = c.get('account');
    // Adds the role once, however many times this is called (also concurrently).
    await control.orm.run(sql`UPDATE accounts SET roles = json_insert(roles, '$[#]', 'author')
      WHERE id = ${account.id} AND NOT EXISTS (SELECT 1 FROM json_each(accounts.roles) WHERE value = 'author')`);
    return c.json({ account: { id: account.id, email: account.email, roles: [...new Set([...account.roles, 'author'])] } });
  })
  .post('/', author, json(ListingInput), async (c) => {
    const services = c.get('services');
    const row = await createListing(services.control, c.get('account'), c.req.valid('json'), services.platform.clock.now(), (id) => bundledDefinition(services, id) !== null);
    return c.json({ plugin: listingView(row) }, 201);
  })
  .get('/:id', async (c) => {
    const { listing, versions } = await publishedListing(c.get('services').control, idParam(c.req.param('id')));
    return c.json({ plugin: listingView(listing), versions: versions.map((r) => versionView(r)) });
  })
  .patch('/:id', author, json(ListingPatch), async (c) => {
    const { control, platform } = c.get('services');
    const row = await updateListing(control, c.get('account'), idParam(c.req.param('id')), c.req.valid('json'), platform.clock.now());
    return c.json({ plugin: listingView(row) });
  })
  .post('/:id/versions', author, json(VersionUpload), async (c) => {
    const { control, platform } = c.get('services');
    const row = await addVersion(control, c.get('account'), idParam(c.req.param('id')), c.req.valid('json'), platform.clock.now());
    return c.json({ version: versionView(row) }, 201);
  })
  .get('/:id/versions/:version', signedIn, async (c) => {
    const row = await versionForViewer(c.get('services').control, c.get('account'), idParam(c.req.param('id')), versionParam(c.req.param('version')));
    return c.json({ version: versionView(row) });
  })
  .put('/:id/versions/:version', author, json(VersionUpload), async (c) => {
    const { control, platform } = c.get('services');
    const row = await replaceDraft(control, c.get('account'), idParam(c.req.param('id')), versionParam(c.req.param('version')), c.req.valid('json'), platform.clock.now());
    return c.json({ version: versionView(row) });
  })
  .post('/:id/versions/:version/submit', author, async (c) => c.json({ version: versionView(await move(c, 'submit', null)) }))
  .post('/:id/versions/:version/approve', reviewer, json(ReviewNote), async (c) => c.json({ version: versionView(await move(c, 'approve', c.req.valid('json').note)) }))
  .post('/:id/versions/:version/reject', reviewer, json(Rejection), async (c) => c.json({ version: versionView(await move(c, 'reject', c.req.valid('json').note)) }))
  .post('/:id/versions/:version/publish', reviewer, async (c) => c.json({ version: versionView(await move(c, 'publish', null)) }));

function move(c: Context<PlatformEnv>, step: ReviewMove, note: string | null) {
  const { control, platform } = c.get('services');
  return moveVersion(control, c.get('account'), idParam(c.req.param('id') ?? ''), versionParam(c.req.param('version') ?? ''), step, note, platform.clock.now());
}
