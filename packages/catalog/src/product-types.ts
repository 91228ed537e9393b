import { eq, sql } from 'drizzle-orm';
import { AppError, newId } from '@tuike/core';
import { productTypes, type NamedValues } from '@tuike/db-tenant';
import type { ShopOrm } from '@tuike/staff';

export type ProductType = typeof productTypes.$inferSelect;

export const listProductTypes = (orm: ShopOrm) => orm.select().from(productTypes).orderBy(productTypes.createdAt);

export async function findProductType(orm: ShopOrm, id: string) {
  const [row] = await orm.select().from(productTypes).where(eq(productTypes.id, id));
  return row ?? null;
}

/** Names within a list must be unique, and so must each name's values. */
export function assertNamedValues(list: NamedValues[]) {
  const names = list.map((l) => l.name);
  if (new Set(names).size !== names.length) throw new AppError('VALIDATION_FAILED', { duplicate: 'name' });
  for (const l of list) if (new Set(l.values).size !== l.values.length) throw new AppError('VALIDATION_FAILED', { duplicate: l.name });
}

export interface ProductTypeInput {
  name: string;
  attributes: NamedValues[];
  specs: NamedValues[];
}

export async function prepareProductTypeCreate(orm: ShopOrm, input: ProductTypeInput, now: number) {
  assertNamedValues(input.attributes);
  assertNamedValues(input.specs);
  const [clash] = await orm.select({ id: productTypes.id }).from(productTypes).where(eq(productTypes.name, input.name));
  if (clash) throw new AppError('PRODUCT_TYPE_NAME_TAKEN');
  const row: ProductType = { id: newId(), ...input, createdAt: now, updatedAt: now };
  return { row, query: orm.insert(productTypes).values(row) };
}

export async function prepareProductTypeUpdate(orm: ShopOrm, id: string, patch: Partial<ProductTypeInput>, now: number) {
  const before = await findProductType(orm, id);
  if (!before) throw new AppError('NOT_FOUND');
  if (patch.attributes) assertNamedValues(patch.attributes);
  if (patch.specs) assertNamedValues(patch.specs);
  if (patch.name && patch.name !== before.name) {
    const [clash] = await orm.select({ id: productTypes.id }).from(productTypes).where(eq(productTypes.name, patch.name));
    if (clash) throw new AppError('PRODUCT_TYPE_NAME_TAKEN');
  }
  const after: ProductType = { ...before, ...patch, updatedAt: now };
  return { before, after, query: orm.update(productTypes).set(after).where(eq(productTypes.id, id)) };
}

export async function prepareProductTypeDelete(orm: ShopOrm, id: string) {
  const before = await findProductType(orm, id);
  if (!before) throw new AppError('NOT_FOUND');
  const rs = await orm.all<{ n: number }>(sql`SELECT (SELECT count(*) FROM categories WHERE type_id = ${id}) + (SELECT count(*) FROM products WHERE type_id = ${id}) AS n`);
  if (Number(rs[0]?.n) > 0) throw new AppError('PRODUCT_TYPE_IN_USE');
  return { before, query: orm.delete(productTypes).where(eq(productTypes.id, id)) };
}
