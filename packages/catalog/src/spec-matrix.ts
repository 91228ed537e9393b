import { AppError } from '@tuike/core';
import type { NamedValues } from '@tuike/db-tenant';

/** "颜色:红|尺码:M" in the product's spec order; '' for a product without specs. */
export function specKeyOf(specs: readonly NamedValues[], choice: Readonly<Record<string, string>>): string {
  return specs.map((s) => `${s.name}:${choice[s.name]}`).join('|');
}

/** Every combination of the specs' values, in order (the full SKU matrix). */
export function combinations(specs: readonly NamedValues[]): Record<string, string>[] {
  return specs.reduce<Record<string, string>[]>(
    (acc, spec) => acc.flatMap((partial) => spec.values.map((value) => ({ ...partial, [spec.name]: value }))),
    [{}],
  );
}

/**
 * A SKU's choice must pick exactly one declared value of every spec, and no two SKUs may pick the
 * same combination. A merchant may sell a subset of the matrix (not every colour in every size).
 */
export function assertSkuChoices(specs: readonly NamedValues[], choices: readonly Record<string, string>[]): string[] {
  const keys = choices.map((choice, index) => {
    const names = Object.keys(choice);
    const fits = names.length === specs.length && specs.every((s) => s.values.includes(choice[s.name] ?? '\u0000'));
    if (!fits) throw new AppError('SKU_SPECS_INVALID', { index });
    return specKeyOf(specs, choice);
  });
  if (new Set(keys).size !== keys.length) throw new AppError('SKU_DUPLICATE');
  return keys;
}
