import { Hono } from 'hono';
import { AppError } from '@tuike/core';
import { imageKey, inspectImage, sha256Hex } from '@tuike/blobs';
import type { TenantRecord } from '@tuike/tenancy';
import type { AppEnv } from '../context';
import { permit } from './staff-auth';

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/** Every blob key of a shop starts here, so one shop can never reference another's files. */
export const imagePrefixOf = (tenant: TenantRecord) => `shops/${tenant.dbName}/images/`;

/**
 * Image upload: the body is the image itself (Content-Type image/*). The type comes from the
 * bytes, never from the client; the key is the content hash, so a re-upload stores nothing new.
 */
export const uploadRoutes = new Hono<AppEnv>()
  .post('/uploads', permit('products.manage'), async (c) => {
    if (Number(c.req.header('content-length') ?? '0') > MAX_IMAGE_BYTES) throw new AppError('IMAGE_TOO_LARGE');
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const image = inspectImage(bytes, { maxBytes: MAX_IMAGE_BYTES });
    if (!image.ok) throw new AppError(image.code);
    const { tenant } = c.get('shop');
    const key = imageKey(tenant.dbName, await sha256Hex(bytes), image.extension);
    if (!key.startsWith(imagePrefixOf(tenant))) throw new AppError('INTERNAL');
    await c.get('services').platform.blobs.put(key, bytes, { contentType: image.contentType });
    return c.json({ key, contentType: image.contentType, width: image.width ?? null, height: image.height ?? null }, 201);
  });

/** Public file reads, limited to the addressed shop's own prefix. Content-addressed: cache forever. */
export const fileRoutes = new Hono<AppEnv>()
  .get('/files/*', async (c) => {
    const { tenant } = c.get('shop');
    const key = decodeURIComponent(c.req.path.slice(c.req.path.indexOf('/files/') + '/files/'.length));
    if (!key.startsWith(imagePrefixOf(tenant)) || key.includes('..')) throw new AppError('NOT_FOUND');
    const blob = await c.get('services').platform.blobs.get(key);
    if (!blob) throw new AppError('NOT_FOUND');
    return c.body(new Uint8Array(blob.body), 200, {
      'content-type': blob.contentType,
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    });
  });
