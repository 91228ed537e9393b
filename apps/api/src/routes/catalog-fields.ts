import * as v from 'valibot';
import { productSorts } from '@tuike/catalog';

/** Money is integer fen; a single price tops out at ¥1,000,000 (an input slip, not a product). */
export const Fen = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100_000_000));
export const Stock = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000_000));
const Text = (max: number) => v.pipe(v.string(), v.trim(), v.maxLength(max));
export const Label = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(30));
export const NamedValuesList = v.pipe(v.array(v.strictObject({ name: Label, values: v.pipe(v.array(Label), v.maxLength(50)) })), v.maxLength(10));

export const ProductInput = v.strictObject({
  title: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100)),
  subtitle: v.optional(Text(200), ''),
  categoryId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  descriptionHtml: v.optional(v.pipe(v.string(), v.maxLength(50_000)), ''),
  images: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(200))), v.maxLength(9)), []),
  attributes: v.optional(v.pipe(v.record(Label, Text(100)), v.check((r) => Object.keys(r).length <= 30, 'too many attributes')), {}),
  specs: v.optional(NamedValuesList, []),
  skus: v.pipe(v.array(v.strictObject({
    specs: v.optional(v.record(Label, Label), {}),
    price: Fen,
    marketPrice: v.optional(v.nullable(Fen), null),
    stock: Stock,
    /** For an edit: the stock the editor showed. Only the difference is applied (see product-editor). */
    baseStock: v.optional(Stock),
  })), v.minLength(1), v.maxLength(500)),
  marketPrice: v.optional(v.nullable(Fen), null),
  status: v.optional(v.picklist(['on', 'off']), 'off'),
  lowStockThreshold: v.optional(Stock, 0),
  autoOffShelf: v.optional(v.boolean(), false),
});

const FenParam = v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number));
export const ProductListQuery = v.object({
  q: v.optional(v.pipe(v.string(), v.maxLength(50))),
  categoryId: v.optional(v.pipe(v.string(), v.maxLength(64))),
  minPrice: v.optional(FenParam),
  maxPrice: v.optional(FenParam),
  sort: v.optional(v.picklist(productSorts), 'relevance'),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(200))),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,2}$/), v.transform(Number), v.minValue(1), v.maxValue(50)), '20'),
  status: v.optional(v.picklist(['on', 'off', 'any']), 'any'),
});

/** `status=paid` or a group `status=closed,cancelled` (order tabs group several states). */
export const StatusList = <T extends readonly [string, ...string[]]>(statuses: T) =>
  v.pipe(v.string(), v.maxLength(200), v.transform((s) => s.split(',')), v.array(v.picklist(statuses)), v.minLength(1), v.maxLength(statuses.length));
