import { sql, type SQL } from 'drizzle-orm';
import type { ShopOrm } from '@tuike/staff';

export const productSorts = ['relevance', 'sales', 'price_asc', 'price_desc', 'newest'] as const;
export type ProductSort = (typeof productSorts)[number];

export interface ProductQuery {
  q?: string;
  categoryIds?: string[];
  minPrice?: number;
  maxPrice?: number;
  sort: ProductSort;
  cursor?: string;
  limit: number;
  /** Storefront: 'on' only. Admin: any. */
  status: 'on' | 'off' | 'any';
}

export interface ProductListItem {
  id: string;
  title: string;
  subtitle: string;
  cover: string | null;
  priceMin: number;
  priceMax: number;
  marketPrice: number | null;
  sales: number;
  status: 'on' | 'off';
  stock: number;
  categoryId: string;
}

/** The trigram index needs three characters; shorter queries use LIKE (a scan, on short words only). */
const TRIGRAM_MIN = 3;

/** A user's words as one FTS5 phrase: quotes doubled, so no input is ever FTS syntax. */
const ftsPhrase = (q: string) => `"${q.replaceAll('"', '""')}"`;
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

type Cursor = { v: number; id: string } | { offset: number };
const encodeCursor = (c: Cursor) => btoa(JSON.stringify(c)).replaceAll('=', '');
function decodeCursor(raw: string | undefined): Cursor | null {
  if (!raw) return null;
  try {
    const c = JSON.parse(atob(raw)) as Cursor;
    if ('offset' in c && Number.isInteger(c.offset) && c.offset >= 0) return c;
    if ('v' in c && Number.isFinite(c.v) && typeof c.id === 'string') return c;
  } catch { /* fall through */ }
  return null;
}

const ORDER: Record<ProductSort, { by: SQL; key: SQL | null; after: '<' | '>' }> = {
  relevance: { by: sql`s.rank, p.id DESC`, key: null, after: '<' },
  sales: { by: sql`p.sales DESC, p.id DESC`, key: sql`p.sales`, after: '<' },
  price_asc: { by: sql`p.price_min ASC, p.id ASC`, key: sql`p.price_min`, after: '>' },
  price_desc: { by: sql`p.price_min DESC, p.id DESC`, key: sql`p.price_min`, after: '<' },
  newest: { by: sql`p.id DESC`, key: sql`0`, after: '<' },
};

/**
 * Lists and searches products with filters, one of five sorts and cursor pagination. Keyset
 * cursors (sort value + id) keep deep pages as cheap as the first; relevance pages by offset,
 * since bm25 scores are not a stable key.
 */
export async function searchProducts(orm: ShopOrm, query: ProductQuery) {
  const q = query.q?.trim() ?? '';
  const useIndex = [...q].length >= TRIGRAM_MIN;
  const sort: ProductSort = query.sort === 'relevance' && !useIndex ? 'sales' : query.sort;
  const where: SQL[] = [sql`p.deleted_at IS NULL`];
  if (query.status !== 'any') where.push(sql`p.status = ${query.status}`);
  if (q && !useIndex) where.push(sql`(p.title LIKE ${likePattern(q)} ESCAPE '\\' OR p.subtitle LIKE ${likePattern(q)} ESCAPE '\\')`);
  if (query.categoryIds?.length) where.push(sql`p.category_id IN (${sql.join(query.categoryIds.map((id) => sql`${id}`), sql`, `)})`);
  // Sorted by sales or age, a price range is a filter on the walk down the sort's index (its
  // columns carry the prices); the unary + keeps the planner from sorting a price-index range.
  const priceTerm = query.sort === 'sales' || query.sort === 'newest' ? sql.raw('+') : sql``;
  if (query.minPrice !== undefined) where.push(sql`${priceTerm}p.price_max >= ${query.minPrice}`);
  if (query.maxPrice !== undefined) where.push(sql`${priceTerm}p.price_min <= ${query.maxPrice}`);

  const order = ORDER[sort];
  const cursor = decodeCursor(query.cursor);
  let offset = 0;
  if (cursor && 'offset' in cursor) offset = cursor.offset;
  else if (cursor && order.key) {
    where.push(sort === 'newest'
      ? sql`p.id < ${cursor.id}`
      : sql`(${order.key}, p.id) ${sql.raw(order.after)} (${cursor.v}, ${cursor.id})`);
  }
  const search = useIndex
    ? sql`JOIN (SELECT rowid, bm25(product_search) AS rank FROM product_search WHERE product_search MATCH ${ftsPhrase(q)}) s ON s.rowid = p.rowid`
    : sql``;
  const rows = await orm.all<Record<string, unknown>>(sql`
    SELECT p.id, p.title, p.subtitle, p.images, p.price_min, p.price_max, p.market_price, p.sales, p.status, p.category_id,
           (SELECT coalesce(sum(k.stock), 0) FROM skus k WHERE k.product_id = p.id AND k.deleted_at IS NULL) AS stock
    FROM products p ${search}
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY ${order.by}
    LIMIT ${query.limit + 1} OFFSET ${offset}`);
  const items: ProductListItem[] = rows.slice(0, query.limit).map((r) => ({
    id: String(r.id), title: String(r.title), subtitle: String(r.subtitle),
    cover: (JSON.parse(String(r.images)) as string[])[0] ?? null,
    priceMin: Number(r.price_min), priceMax: Number(r.price_max), marketPrice: r.market_price === null ? null : Number(r.market_price),
    sales: Number(r.sales), status: r.status === 'on' ? 'on' : 'off', stock: Number(r.stock), categoryId: String(r.category_id),
  }));
  const last = items.at(-1);
  let nextCursor: string | null = null;
  if (rows.length > query.limit && last) {
    nextCursor = sort === 'relevance'
      ? encodeCursor({ offset: offset + query.limit })
      : encodeCursor({ v: sort === 'sales' ? last.sales : sort === 'newest' ? 0 : last.priceMin, id: last.id });
  }
  return { items, nextCursor, sort };
}

/** SKUs at or below their product's low-stock threshold (B4), emptiest first. */
export async function lowStock(orm: ShopOrm, limit = 100) {
  const rows = await orm.all<Record<string, unknown>>(sql`
    SELECT k.id AS sku_id, k.specs, k.stock, p.id AS product_id, p.title, p.low_stock_threshold, p.status
    FROM skus k JOIN products p ON p.id = k.product_id
    WHERE k.deleted_at IS NULL AND p.deleted_at IS NULL AND k.stock <= p.low_stock_threshold
    ORDER BY k.stock ASC, p.id LIMIT ${limit}`);
  return rows.map((r) => ({
    skuId: String(r.sku_id), specs: JSON.parse(String(r.specs)) as Record<string, string>, stock: Number(r.stock),
    productId: String(r.product_id), title: String(r.title), threshold: Number(r.low_stock_threshold), status: String(r.status),
  }));
}
