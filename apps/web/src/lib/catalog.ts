import type { CategoryRoot, NamedValues, ProductType } from './types';

/** "红, 蓝，绿、黑" → ["红", "蓝", "绿", "黑"]: ASCII or Chinese commas, 、 or semicolons; no blanks or repeats. */
export function parseValues(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/[,，、;；\n]/)) {
    const value = part.trim();
    if (value && !out.includes(value)) out.push(value);
  }
  return out;
}

export const joinValues = (values: readonly string[]): string => values.join(', ');

/** "颜色:红|尺码:M" in the specs' order: the same key the API gives a SKU (`specKey`). */
export function specKeyOf(specs: readonly NamedValues[], choice: Readonly<Record<string, string>>): string {
  return specs.map((s) => `${s.name}:${choice[s.name] ?? ''}`).join('|');
}

/** Every combination of the specs' values, in order: the full SKU matrix (one `{}` without specs). */
export function combinations(specs: readonly NamedValues[]): Record<string, string>[] {
  return specs.reduce<Record<string, string>[]>(
    (acc, spec) => acc.flatMap((partial) => spec.values.map((value) => ({ ...partial, [spec.name]: value }))),
    [{}],
  );
}

/** "红 / M" for showing a SKU's choice. */
export const specLabel = (specs: Readonly<Record<string, string>>): string => Object.values(specs).join(' / ');

/** Every category (roots and children) by id. */
export function categoriesById(tree: readonly CategoryRoot[]) {
  const byId = new Map<string, { id: string; name: string; typeId: string | null; parentId: string | null; rootName?: string }>();
  for (const root of tree) {
    byId.set(root.id, root);
    for (const child of root.children) byId.set(child.id, { ...child, rootName: root.name });
  }
  return byId;
}

/** The product type a category hands its products, if any. */
export function typeOfCategory(tree: readonly CategoryRoot[], types: readonly ProductType[], categoryId: string): ProductType | undefined {
  const typeId = categoriesById(tree).get(categoryId)?.typeId;
  return typeId ? types.find((t) => t.id === typeId) : undefined;
}
