import { and, eq, isNull, sql } from 'drizzle-orm';
import { AppError, newId } from '@tuike/core';
import { categories, products, productTypes, skus, stockMovements, type NamedValues } from '@tuike/db-tenant';
import type { ShopOrm } from '@tuike/staff';
import { sanitizeDescription } from './description';
import { assertSkuChoices } from './spec-matrix';

export type Product = typeof products.$inferSelect;
export type Sku = typeof skus.$inferSelect;

export interface SkuInput {
  specs: Record<string, string>;
  price: number;
  marketPrice: number | null;
  stock: number;
  /** The stock the editor loaded; without it the change is measured against the stock now. */
  baseStock?: number;
}

export interface ProductInput {
  title: string;
  subtitle: string;
  categoryId: string;
  descriptionHtml: string;
  images: string[];
  attributes: Record<string, string>;
  specs: NamedValues[];
  skus: SkuInput[];
  marketPrice: number | null;
  status: 'on' | 'off';
  lowStockThreshold: number;
  autoOffShelf: boolean;
}

/**
 * A category linked to a product type hands its products that type's attributes and specs: a
 * product may use a subset of them (fewer colours), never invent others.
 */
async function typeOfCategory(orm: ShopOrm, categoryId: string) {
  const [row] = await orm.select({ category: categories, type: productTypes }).from(categories)
    .leftJoin(productTypes, eq(productTypes.id, categories.typeId)).where(eq(categories.id, categoryId));
  if (!row) throw new AppError('NOT_FOUND', { categoryId });
  return row.type;
}

function assertWithinType(type: typeof productTypes.$inferSelect | null, input: ProductInput) {
  if (!type) return;
  for (const spec of input.specs) {
    const declared = type.specs.find((s) => s.name === spec.name);
    if (!declared || spec.values.some((v) => !declared.values.includes(v))) throw new AppError('SKU_SPECS_INVALID', { spec: spec.name });
  }
  for (const [name, value] of Object.entries(input.attributes)) {
    const declared = type.attributes.find((a) => a.name === name);
    if (!declared || (declared.values.length > 0 && !declared.values.includes(value))) throw new AppError('VALIDATION_FAILED', { attribute: name });
  }
}

function priceRange(list: { price: number }[]) {
  const prices = list.map((s) => s.price);
  return { priceMin: Math.min(...prices), priceMax: Math.max(...prices) };
}

/** Validates and normalizes what every save shares: type fit, SKU matrix, sanitized HTML. */
async function normalize(orm: ShopOrm, input: ProductInput, imagePrefix: string) {
  if (input.images.some((key) => !key.startsWith(imagePrefix))) throw new AppError('IMAGE_NOT_FOUND');
  const type = await typeOfCategory(orm, input.categoryId);
  assertWithinType(type, input);
  const keys = assertSkuChoices(input.specs, input.skus.map((s) => s.specs));
  return { typeId: type?.id ?? null, keys, descriptionHtml: sanitizeDescription(input.descriptionHtml) };
}

/** A new product, its SKUs and their initial stock movements: one batch. */
export async function prepareProductCreate(orm: ShopOrm, input: ProductInput, now: number, imagePrefix: string) {
  const { typeId, keys, descriptionHtml } = await normalize(orm, input, imagePrefix);
  const product: Product = {
    id: newId(), categoryId: input.categoryId, typeId, title: input.title, subtitle: input.subtitle, descriptionHtml,
    images: input.images, attributes: input.attributes, specs: input.specs, ...priceRange(input.skus), marketPrice: input.marketPrice,
    status: input.status, sales: 0, lowStockThreshold: input.lowStockThreshold, autoOffShelf: input.autoOffShelf,
    deletedAt: null, createdAt: now, updatedAt: now,
  };
  const skuRows: Sku[] = input.skus.map((s, i) => ({
    id: newId(), productId: product.id, specKey: keys[i]!, specs: s.specs, price: s.price, marketPrice: s.marketPrice,
    stock: s.stock, deletedAt: null, createdAt: now, updatedAt: now,
  }));
  const queries = [
    orm.insert(products).values(product),
    orm.insert(skus).values(skuRows),
    ...skuRows.filter((s) => s.stock > 0).map((s) => orm.insert(stockMovements).values({ id: newId(), skuId: s.id, delta: s.stock, reason: 'initial', ref: null, createdAt: now })),
  ];
  return { product, skus: skuRows, queries };
}

export async function loadProduct(orm: ShopOrm, id: string) {
  const [product] = await orm.select().from(products).where(and(eq(products.id, id), isNull(products.deletedAt)));
  if (!product) return null;
  const rows = await orm.select().from(skus).where(and(eq(skus.productId, id), isNull(skus.deletedAt))).orderBy(skus.createdAt);
  return { product, skus: rows };
}

/**
 * Saves an edited product. SKUs are matched by spec combination: kept ones are updated, new ones
 * inserted, missing ones retired (soft delete: orders still point at them). A stock change is the
 * merchant's edit (shown `baseStock` → typed `stock`) applied as a delta (`stock = stock + d`)
 * with a movement row, so sales made while the editor was open are kept, not overwritten.
 */
export async function prepareProductUpdate(orm: ShopOrm, id: string, input: ProductInput, now: number, imagePrefix: string) {
  const current = await loadProduct(orm, id);
  if (!current) throw new AppError('PRODUCT_NOT_FOUND');
  const { typeId, keys, descriptionHtml } = await normalize(orm, input, imagePrefix);
  // Retired SKUs too: re-adding a combination revives its row instead of clashing on the key.
  const existingByKey = new Map((await orm.select().from(skus).where(eq(skus.productId, id))).map((s) => [s.specKey, s]));
  const queries = [];
  const after: Sku[] = [];
  for (const [i, s] of input.skus.entries()) {
    const key = keys[i]!;
    const existing = existingByKey.get(key);
    if (existing) {
      const delta = s.stock - (s.baseStock ?? existing.stock);
      queries.push(orm.update(skus).set({
        specs: s.specs, price: s.price, marketPrice: s.marketPrice, deletedAt: null, updatedAt: now,
        ...(delta ? { stock: sql`${skus.stock} + ${delta}` } : {}),
      }).where(eq(skus.id, existing.id)));
      if (delta) queries.push(orm.insert(stockMovements).values({ id: newId(), skuId: existing.id, delta, reason: 'adjust', ref: null, createdAt: now }));
      after.push({ ...existing, specs: s.specs, price: s.price, marketPrice: s.marketPrice, stock: s.stock, deletedAt: null, updatedAt: now });
    } else {
      const row: Sku = { id: newId(), productId: id, specKey: key, specs: s.specs, price: s.price, marketPrice: s.marketPrice, stock: s.stock, deletedAt: null, createdAt: now, updatedAt: now };
      queries.push(orm.insert(skus).values(row));
      if (s.stock > 0) queries.push(orm.insert(stockMovements).values({ id: newId(), skuId: row.id, delta: s.stock, reason: 'initial', ref: null, createdAt: now }));
      after.push(row);
    }
  }
  const keep = new Set(keys);
  for (const s of current.skus) if (!keep.has(s.specKey)) queries.push(orm.update(skus).set({ deletedAt: now, updatedAt: now }).where(eq(skus.id, s.id)));
  const product: Product = {
    ...current.product, categoryId: input.categoryId, typeId, title: input.title, subtitle: input.subtitle, descriptionHtml,
    images: input.images, attributes: input.attributes, specs: input.specs, ...priceRange(input.skus), marketPrice: input.marketPrice,
    status: input.status, lowStockThreshold: input.lowStockThreshold, autoOffShelf: input.autoOffShelf, updatedAt: now,
  };
  queries.unshift(orm.update(products).set(product).where(eq(products.id, id)));
  return { before: current, product, skus: after, queries };
}

/** On or off the shelf (上下架). */
export async function prepareShelfChange(orm: ShopOrm, id: string, status: 'on' | 'off', now: number) {
  const current = await loadProduct(orm, id);
  if (!current) throw new AppError('PRODUCT_NOT_FOUND');
  const after = { ...current.product, status, updatedAt: now };
  return { before: current.product, after, query: orm.update(products).set({ status, updatedAt: now }).where(eq(products.id, id)) };
}

/** Deleted products keep their row (orders reference them) but leave every list. */
export async function prepareProductDelete(orm: ShopOrm, id: string, now: number) {
  const current = await loadProduct(orm, id);
  if (!current) throw new AppError('PRODUCT_NOT_FOUND');
  return {
    before: current.product,
    queries: [
      orm.update(products).set({ deletedAt: now, status: 'off', updatedAt: now }).where(eq(products.id, id)),
      orm.update(skus).set({ deletedAt: now, updatedAt: now }).where(and(eq(skus.productId, id), isNull(skus.deletedAt))),
    ],
  };
}
