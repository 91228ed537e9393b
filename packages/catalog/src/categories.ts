import { and, eq, isNull, sql } from 'drizzle-orm';
import { AppError, newId } from '@tuike/core';
import { categories, productTypes } from '@tuike/db-tenant';
import type { ShopOrm } from '@tuike/staff';

export type Category = typeof categories.$inferSelect;

export const listCategories = (orm: ShopOrm) =>
  orm.select().from(categories).orderBy(categories.position, categories.createdAt);

/** Roots with their children, in display order. */
export function categoryTree(rows: Category[]) {
  const roots = rows.filter((c) => c.parentId === null);
  return roots.map((root) => ({ ...root, children: rows.filter((c) => c.parentId === root.id) }));
}

async function findCategory(orm: ShopOrm, id: string) {
  const [row] = await orm.select().from(categories).where(eq(categories.id, id));
  return row ?? null;
}

/** A child's parent must be a root: two levels, never three. */
async function assertParent(orm: ShopOrm, parentId: string | null) {
  if (parentId === null) return;
  const parent = await findCategory(orm, parentId);
  if (!parent) throw new AppError('NOT_FOUND', { parentId });
  if (parent.parentId !== null) throw new AppError('CATEGORY_DEPTH');
}

async function assertType(orm: ShopOrm, typeId: string | null) {
  if (typeId === null) return;
  const [row] = await orm.select({ id: productTypes.id }).from(productTypes).where(eq(productTypes.id, typeId));
  if (!row) throw new AppError('NOT_FOUND', { typeId });
}

async function assertNameFree(orm: ShopOrm, parentId: string | null, name: string, exceptId?: string) {
  const [clash] = await orm.select({ id: categories.id }).from(categories)
    .where(and(parentId === null ? isNull(categories.parentId) : eq(categories.parentId, parentId), eq(categories.name, name)));
  if (clash && clash.id !== exceptId) throw new AppError('CATEGORY_NAME_TAKEN');
}

export interface CategoryInput {
  name: string;
  parentId: string | null;
  typeId: string | null;
  position: number;
}

/** Validates a new category and returns the row with the query that inserts it. */
export async function prepareCategoryCreate(orm: ShopOrm, input: CategoryInput, now: number) {
  await assertParent(orm, input.parentId);
  await assertType(orm, input.typeId);
  await assertNameFree(orm, input.parentId, input.name);
  const row: Category = { id: newId(), ...input, createdAt: now, updatedAt: now };
  return { row, query: orm.insert(categories).values(row) };
}

export async function prepareCategoryUpdate(orm: ShopOrm, id: string, patch: Partial<Omit<CategoryInput, 'parentId'>>, now: number) {
  const before = await findCategory(orm, id);
  if (!before) throw new AppError('NOT_FOUND');
  if (patch.typeId !== undefined) await assertType(orm, patch.typeId);
  if (patch.name !== undefined) await assertNameFree(orm, before.parentId, patch.name, id);
  const after: Category = { ...before, ...patch, updatedAt: now };
  return { before, after, query: orm.update(categories).set(after).where(eq(categories.id, id)) };
}

/** Only an empty category can go: no children, no products (deleted products keep their row). */
export async function prepareCategoryDelete(orm: ShopOrm, id: string) {
  const before = await findCategory(orm, id);
  if (!before) throw new AppError('NOT_FOUND');
  const [use] = await orm.all<{ n: number }>(sql`SELECT (SELECT count(*) FROM categories WHERE parent_id = ${id}) + (SELECT count(*) FROM products WHERE category_id = ${id}) AS n`);
  if (Number(use?.n) > 0) throw new AppError('CATEGORY_IN_USE');
  return { before, query: orm.delete(categories).where(eq(categories.id, id)) };
}

/** The category and, for a root, its children: what a category page lists. */
export async function categoryWithChildren(orm: ShopOrm, id: string): Promise<string[]> {
  const rows = await orm.select({ id: categories.id }).from(categories).where(sql`${categories.id} = ${id} OR ${categories.parentId} = ${id}`);
  return rows.map((r) => r.id);
}
