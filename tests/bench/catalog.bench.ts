import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/libsql';
import { newId } from '@tuike/core';
import { migrations, schema } from '@tuike/db-tenant';
import { migrate } from '@tuike/db-runtime';
import { createFileDatabases } from '@tuike/db-runtime/node';
import { searchProducts, type ProductQuery } from '@tuike/catalog';
import { median, quantile, report } from './stats';

const WORDS = ['真丝', '纯棉', '羊毛', '牛仔', '碎花', '法式', '复古', '宽松', '修身', '加厚', '轻薄', '防晒', '儿童', '男士', '女士', '运动'];
const ITEMS = ['衬衫', 'T恤', '大衣', '短裤', '半身裙', '连衣裙', '卫衣', '夹克', '毛衣', '西装', '外套', '背心'];

/** Search over 50,000 products on one shop database (B3): median and p95 per query shape. */
export async function searchLatency() {
  const dir = mkdtempSync(join(tmpdir(), 'tuike-search-'));
  const databases = createFileDatabases({ dir });
  await databases.provision('bench');
  const db = await databases.shop({ name: 'bench' });
  await migrate(db, migrations);
  const orm = drizzle(db, { schema });
  const now = Date.now();
  const categories = Array.from({ length: 20 }, (_, i) => ({ id: `cat${i}`, parentId: null, name: `分类${i}`, typeId: null, position: i, createdAt: now, updatedAt: now }));
  await orm.insert(schema.categories).values(categories);
  let seed = 42;
  // High bits only: an LCG's low bits cycle with short periods (seed % 20 would miss categories).
  const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return Math.floor(seed / 65536) % n; };
  for (let batch = 0; batch < 50; batch++) {
    const rows = Array.from({ length: 1000 }, () => {
      const price = 500 + rand(100_000);
      return {
        id: newId(), categoryId: `cat${rand(20)}`, typeId: null,
        title: `${WORDS[rand(WORDS.length)]}${WORDS[rand(WORDS.length)]}${ITEMS[rand(ITEMS.length)]} ${rand(10_000)}号`,
        subtitle: `${WORDS[rand(WORDS.length)]}款`, descriptionHtml: '', images: [], attributes: {}, specs: [],
        priceMin: price, priceMax: price + rand(2000), marketPrice: null, status: 'on' as const, sales: rand(5000),
        lowStockThreshold: 0, autoOffShelf: false, deletedAt: null, createdAt: now, updatedAt: now,
      };
    });
    await db.batch(rows.map((r) => orm.insert(schema.products).values(r).toSQL()).map(({ sql, params }) => ({ sql, args: params as never })), 'write');
  }
  const shapes: [string, Omit<ProductQuery, 'limit' | 'status'>][] = [
    ['trigram-3-chars', { q: '羊毛大', sort: 'relevance' }],
    ['trigram-5-chars', { q: '纯棉连衣裙', sort: 'relevance' }],
    ['like-2-chars', { q: '夹克', sort: 'sales' }],
    ['category-price-asc', { categoryIds: ['cat3'], sort: 'price_asc' }],
    ['price-range-sales', { minPrice: 10_000, maxPrice: 20_000, sort: 'sales' }],
    // The worst case for walking the sales index: a range about 1 product in 500 falls into.
    ['narrow-price-range-sales', { minPrice: 10_000, maxPrice: 10_100, sort: 'sales' }],
  ];
  for (const [name, shape] of shapes) {
    const times: number[] = [];
    for (let i = 0; i < 30; i++) await searchProducts(orm, { ...shape, limit: 20, status: 'on' });
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      await searchProducts(orm, { ...shape, limit: 20, status: 'on' });
      times.push(performance.now() - t0);
    }
    report(`search-50k-${name}-median`, median(times), 'ms');
    report(`search-50k-${name}-p95`, quantile(times, 0.95), 'ms');
  }
  await databases.close();
  rmSync(dir, { recursive: true, force: true });
}
