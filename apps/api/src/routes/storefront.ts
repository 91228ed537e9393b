import { Hono } from 'hono';
import { and, eq, isNull } from 'drizzle-orm';
import { AppError } from '@tuike/core';
import { cartShares, products } from '@tuike/db-tenant';
import { loadSkus } from '@tuike/orders';
import { categoryTree, categoryWithChildren, listCategories, loadProduct, searchProducts } from '@tuike/catalog';
import type { AppEnv } from '../context';
import { query } from '../http/json-body';
import { ProductListQuery } from './catalog-fields';

/** What any visitor of a shop may read: the shop, its categories and its products on the shelf. */
export const storefrontRoutes = new Hono<AppEnv>()
  .get('/shop', async (c) => {
    const { tenant, orm } = c.get('shop');
    const rows = await orm.query.settings.findMany();
    const s = Object.fromEntries(rows.map((r) => [r.key, r.value]));
    return c.json({ shop: { slug: tenant.slug, name: s.shopName ?? tenant.name, locale: s.locale ?? 'zh-CN', plan: tenant.planId } });
  })
  .get('/catalog', async (c) => {
    const { orm } = c.get('shop');
    const [categories, featured] = await Promise.all([
      listCategories(orm),
      searchProducts(orm, { sort: 'sales', limit: 20, status: 'on' }),
    ]);
    return c.json({ categories: categoryTree(categories), products: featured.items, nextCursor: featured.nextCursor });
  })
  .get('/catalog/products', query(ProductListQuery), async (c) => {
    const q = c.req.valid('query');
    const { orm } = c.get('shop');
    const categoryIds = q.categoryId ? await categoryWithChildren(orm, q.categoryId) : undefined;
    return c.json(await searchProducts(orm, { ...q, limit: Number(q.limit), categoryIds, status: 'on' }));
  })
  .get('/cart/shares/:token', async (c) => {
    const { orm, db } = c.get('shop');
    const [share] = await orm.select().from(cartShares).where(eq(cartShares.id, c.req.param('token')));
    if (!share) throw new AppError('NOT_FOUND');
    const skus = await loadSkus(db, share.items.map((i) => i.skuId));
    return c.json({ items: share.items.map((i) => {
      const sku = skus.get(i.skuId);
      return { skuId: i.skuId, quantity: i.quantity, title: sku?.title ?? null, specs: sku?.specs ?? {}, image: sku?.image ?? null, price: sku?.price ?? null, available: !!sku?.onShelf && sku.stock > 0 };
    }) });
  })
  .get('/catalog/products/:id', async (c) => {
    const { orm } = c.get('shop');
    const [onShelf] = await orm.select({ id: products.id }).from(products)
      .where(and(eq(products.id, c.req.param('id')), eq(products.status, 'on'), isNull(products.deletedAt)));
    const found = onShelf ? await loadProduct(orm, onShelf.id) : null;
    if (!found) throw new AppError('PRODUCT_NOT_FOUND');
    const { product, skus } = found;
    return c.json({
      product: {
        id: product.id, title: product.title, subtitle: product.subtitle, descriptionHtml: product.descriptionHtml, images: product.images,
        attributes: product.attributes, specs: product.specs, priceMin: product.priceMin, priceMax: product.priceMax,
        marketPrice: product.marketPrice, sales: product.sales, categoryId: product.categoryId,
      },
      skus: skus.map((s) => ({ id: s.id, specs: s.specs, price: s.price, marketPrice: s.marketPrice, stock: s.stock })),
    });
  });
