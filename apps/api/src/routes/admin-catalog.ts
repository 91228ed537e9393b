import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { AppError, isCheckViolation } from '@tuike/core';
import {
  categoryTree, categoryWithChildren, listCategories, listProductTypes, loadProduct, lowStock, prepareCategoryCreate,
  prepareCategoryDelete, prepareCategoryUpdate, prepareProductCreate, prepareProductDelete, prepareProductTypeCreate,
  prepareProductTypeDelete, prepareProductTypeUpdate, prepareProductUpdate, prepareShelfChange, searchProducts,
} from '@tuike/catalog';
import type { AppEnv } from '../context';
import { commitAudited } from '../http/audited';
import { json, query } from '../http/json-body';
import { permit } from '../http/staff-auth';
import { imagePrefixOf } from '../http/files';
import { Id, Name } from './admin-fields';
import { Label, NamedValuesList, ProductInput, ProductListQuery } from './catalog-fields';

const CategoryInput = v.strictObject({
  name: Label,
  parentId: v.optional(v.nullable(Id), null),
  typeId: v.optional(v.nullable(Id), null),
  position: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000)), 0),
});
const CategoryPatch = v.strictObject({
  name: v.optional(Label),
  typeId: v.optional(v.nullable(Id)),
  position: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000))),
});
const ProductTypeInput = v.strictObject({ name: Name, attributes: v.optional(NamedValuesList, []), specs: v.optional(NamedValuesList, []) });
const ProductTypePatch = v.partial(ProductTypeInput);
const ShelfInput = v.strictObject({ status: v.picklist(['on', 'off']) });

const now = (c: Context<AppEnv>) => c.get('services').platform.clock.now();

/** A SKU stock edit raced a sale that took the stock below what the edit assumed. */
const onStockConflict = (e: unknown): never => {
  if (isCheckViolation(e, 'skus_stock')) throw new AppError('STOCK_CONFLICT');
  throw e;
};

/** The catalog in the admin (B1–B4): categories, product types, products with SKUs, low stock. */
export const adminCatalogRoutes = new Hono<AppEnv>()
  .get('/categories', permit('products.view'), async (c) => c.json({ categories: categoryTree(await listCategories(c.get('shop').orm)) }))
  .post('/categories', permit('products.manage'), json(CategoryInput), async (c) => {
    const { row, query: insert } = await prepareCategoryCreate(c.get('shop').orm, c.req.valid('json'), now(c));
    await commitAudited(c, [insert], { entity: 'category', entityId: row.id, action: 'create', before: null, after: row });
    return c.json({ category: row }, 201);
  })
  .patch('/categories/:id', permit('products.manage'), json(CategoryPatch), async (c) => {
    const { before, after, query: update } = await prepareCategoryUpdate(c.get('shop').orm, c.req.param('id'), c.req.valid('json'), now(c));
    await commitAudited(c, [update], { entity: 'category', entityId: before.id, action: 'update', before, after });
    return c.json({ category: after });
  })
  .delete('/categories/:id', permit('products.manage'), async (c) => {
    const { before, query: remove } = await prepareCategoryDelete(c.get('shop').orm, c.req.param('id'));
    await commitAudited(c, [remove], { entity: 'category', entityId: before.id, action: 'delete', before, after: null });
    return c.json({ ok: true });
  })
  .get('/product-types', permit('products.view'), async (c) => c.json({ types: await listProductTypes(c.get('shop').orm) }))
  .post('/product-types', permit('products.manage'), json(ProductTypeInput), async (c) => {
    const { row, query: insert } = await prepareProductTypeCreate(c.get('shop').orm, c.req.valid('json'), now(c));
    await commitAudited(c, [insert], { entity: 'product_type', entityId: row.id, action: 'create', before: null, after: row },
      { unique: { 'product_types.name': 'PRODUCT_TYPE_NAME_TAKEN' } });
    return c.json({ type: row }, 201);
  })
  .patch('/product-types/:id', permit('products.manage'), json(ProductTypePatch), async (c) => {
    const { before, after, query: update } = await prepareProductTypeUpdate(c.get('shop').orm, c.req.param('id'), c.req.valid('json'), now(c));
    await commitAudited(c, [update], { entity: 'product_type', entityId: before.id, action: 'update', before, after },
      { unique: { 'product_types.name': 'PRODUCT_TYPE_NAME_TAKEN' } });
    return c.json({ type: after });
  })
  .delete('/product-types/:id', permit('products.manage'), async (c) => {
    const { before, query: remove } = await prepareProductTypeDelete(c.get('shop').orm, c.req.param('id'));
    await commitAudited(c, [remove], { entity: 'product_type', entityId: before.id, action: 'delete', before, after: null });
    return c.json({ ok: true });
  })
  .get('/products', permit('products.view'), query(ProductListQuery), async (c) => {
    const q = c.req.valid('query');
    const { orm } = c.get('shop');
    const categoryIds = q.categoryId ? await categoryWithChildren(orm, q.categoryId) : undefined;
    return c.json(await searchProducts(orm, { ...q, limit: Number(q.limit), sort: q.q ? q.sort : q.sort === 'relevance' ? 'newest' : q.sort, categoryIds }));
  })
  .get('/products/:id', permit('products.view'), async (c) => {
    const found = await loadProduct(c.get('shop').orm, c.req.param('id'));
    if (!found) throw new AppError('PRODUCT_NOT_FOUND');
    return c.json({ product: found.product, skus: found.skus });
  })
  .post('/products', permit('products.manage'), json(ProductInput), async (c) => {
    const { orm, tenant } = c.get('shop');
    const { product, skus, queries } = await prepareProductCreate(orm, c.req.valid('json'), now(c), imagePrefixOf(tenant));
    await commitAudited(c, queries, { entity: 'product', entityId: product.id, action: 'create', before: null, after: { product, skus } });
    return c.json({ product, skus }, 201);
  })
  .put('/products/:id', permit('products.manage'), json(ProductInput), async (c) => {
    const { orm, tenant } = c.get('shop');
    const { before, product, skus, queries } = await prepareProductUpdate(orm, c.req.param('id'), c.req.valid('json'), now(c), imagePrefixOf(tenant));
    await commitAudited(c, queries, { entity: 'product', entityId: product.id, action: 'update', before, after: { product, skus } }).catch(onStockConflict);
    const saved = await loadProduct(orm, product.id);
    return c.json({ product: saved!.product, skus: saved!.skus });
  })
  .post('/products/:id/shelf', permit('products.manage'), json(ShelfInput), async (c) => {
    const { before, after, query: update } = await prepareShelfChange(c.get('shop').orm, c.req.param('id'), c.req.valid('json').status, now(c));
    await commitAudited(c, [update], { entity: 'product', entityId: before.id, action: after.status === 'on' ? 'shelve' : 'unshelve', before: { status: before.status }, after: { status: after.status } });
    return c.json({ product: after });
  })
  .delete('/products/:id', permit('products.manage'), async (c) => {
    const { before, queries } = await prepareProductDelete(c.get('shop').orm, c.req.param('id'), now(c));
    await commitAudited(c, queries, { entity: 'product', entityId: before.id, action: 'delete', before, after: null });
    return c.json({ ok: true });
  })
  .get('/low-stock', permit('products.view'), async (c) => c.json({ items: await lowStock(c.get('shop').orm) }));
