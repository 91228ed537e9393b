import { Hono } from 'hono';
import type { AppEnv } from '../context';

/** What any visitor of a shop may read. */
export const storefrontRoutes = new Hono<AppEnv>()
  .get('/shop', async (c) => {
    const { tenant, orm } = c.get('shop');
    const rows = await orm.query.settings.findMany();
    const s = Object.fromEntries(rows.map((r) => [r.key, r.value]));
    return c.json({ shop: { slug: tenant.slug, name: s.shopName ?? tenant.name, locale: s.locale ?? 'zh-CN', plan: tenant.planId } });
  })
  .get('/catalog', (c) => c.json({ categories: [], products: [] }));
