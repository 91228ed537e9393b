import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app';
import { solidPng } from '../testing/images';

const HOST = 'cat.localhost';
let t: TestApp;
let owner: string;
let root: string;
let child: string;
let typeId: string;

beforeAll(async () => {
  t = await createTestApp();
  ({ ownerCookie: owner } = await t.signupAndLogin('cat'));
  typeId = (await t.request(HOST, '/api/admin/product-types', { body: {
    name: '服装', attributes: [{ name: '材质', values: ['棉', '麻'] }, { name: '产地', values: [] }],
    specs: [{ name: '颜色', values: ['红', '蓝', '绿'] }, { name: '尺码', values: ['M', 'L'] }],
  }, cookies: owner })).body.type.id;
  root = (await t.request(HOST, '/api/admin/categories', { body: { name: '女装' }, cookies: owner })).body.category.id;
  child = (await t.request(HOST, '/api/admin/categories', { body: { name: '连衣裙', parentId: root, typeId }, cookies: owner })).body.category.id;
});
afterAll(async () => { await t.close(); });

const admin = (path: string, init: Parameters<TestApp['request']>[2] = {}) => t.request(HOST, `/api/admin${path}`, { cookies: owner, ...init });
const db = () => t.shopDb('cat');

function dress(over: Record<string, unknown> = {}) {
  return {
    title: '法式碎花连衣裙', subtitle: '夏季新款 棉麻', categoryId: child,
    descriptionHtml: '<p>好看</p>',
    attributes: { 材质: '棉', 产地: '杭州' },
    specs: [{ name: '颜色', values: ['红', '蓝'] }, { name: '尺码', values: ['M', 'L'] }],
    skus: [
      { specs: { 颜色: '红', 尺码: 'M' }, price: 19900, marketPrice: 29900, stock: 5 },
      { specs: { 颜色: '红', 尺码: 'L' }, price: 20900, stock: 3 },
      { specs: { 颜色: '蓝', 尺码: 'M' }, price: 19900, stock: 0 },
      { specs: { 颜色: '蓝', 尺码: 'L' }, price: 21900, stock: 8 },
    ],
    status: 'on',
    lowStockThreshold: 3,
    ...over,
  };
}

describe('categories (B1)', () => {
  it('keeps two levels and refuses a third with CATEGORY_DEPTH, changing nothing', async () => {
    const before = await t.count(await db(), 'categories');
    const res = await admin('/categories', { body: { name: '长裙', parentId: child } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('CATEGORY_DEPTH');
    expect(await t.count(await db(), 'categories')).toBe(before);
    const tree = (await admin('/categories')).body.categories;
    expect(tree).toEqual([expect.objectContaining({ id: root, children: [expect.objectContaining({ id: child, typeId })] })]);
  });

  it('refuses a sibling with the same name and deleting a category in use', async () => {
    expect((await admin('/categories', { body: { name: '女装' } })).body.error.code).toBe('CATEGORY_NAME_TAKEN');
    expect((await admin(`/categories/${root}`, { method: 'DELETE' })).body.error.code).toBe('CATEGORY_IN_USE');
  });
});

describe('products with SKUs (B2)', () => {
  let productId: string;

  it('creates a product whose SKUs are spec combinations, in one audited batch with initial stock movements', async () => {
    const res = await admin('/products', { body: dress() });
    expect(res.status).toBe(201);
    productId = res.body.product.id;
    expect(res.body.product).toMatchObject({ priceMin: 19900, priceMax: 21900, typeId, status: 'on' });
    expect(res.body.skus.map((s: { specKey: string }) => s.specKey)).toEqual(['颜色:红|尺码:M', '颜色:红|尺码:L', '颜色:蓝|尺码:M', '颜色:蓝|尺码:L']);
    const shop = await db();
    expect(await t.count(shop, 'stock_movements', "reason = 'initial'")).toBe(3); // the sold-out SKU starts at 0
    expect(await t.count(shop, 'audit_log', "entity = 'product' AND action = 'create'")).toBe(1);
  });

  it('strips scripts, event handlers and javascript: links from descriptions', async () => {
    const res = await admin('/products', { body: dress({
      title: '安全测试', descriptionHtml: '<p onclick="steal()">hi<script>alert(1)</script></p><img src="x" onerror="alert(2)"><a href="javascript:alert(3)">x</a><img src="https://cdn.example/a.png"><iframe src="https://evil"></iframe>',
    }) });
    expect(res.status).toBe(201);
    const html = res.body.product.descriptionHtml as string;
    expect(html).not.toMatch(/script|onclick|onerror|javascript:|iframe|alert\(1\)/i);
    expect(html).toContain('<img src="https://cdn.example/a.png">');
    expect(html).toContain('hi');
  });

  it.each([
    ['a duplicate combination', { skus: [{ specs: { 颜色: '红', 尺码: 'M' }, price: 1, stock: 1 }, { specs: { 颜色: '红', 尺码: 'M' }, price: 2, stock: 1 }] }, 'SKU_DUPLICATE'],
    ['a value the product does not declare', { skus: [{ specs: { 颜色: '紫', 尺码: 'M' }, price: 1, stock: 1 }] }, 'SKU_SPECS_INVALID'],
    ['a spec missing from a SKU', { skus: [{ specs: { 颜色: '红' }, price: 1, stock: 1 }] }, 'SKU_SPECS_INVALID'],
    ['a spec outside the category type', { specs: [{ name: '口味', values: ['甜'] }], skus: [{ specs: { 口味: '甜' }, price: 1, stock: 1 }] }, 'SKU_SPECS_INVALID'],
    ['a negative price', { skus: [{ specs: { 颜色: '红', 尺码: 'M' }, price: -1, stock: 1 }] }, 'VALIDATION_FAILED'],
    ['a fractional price', { skus: [{ specs: { 颜色: '红', 尺码: 'M' }, price: 19.9, stock: 1 }] }, 'VALIDATION_FAILED'],
    ['a huge price', { skus: [{ specs: { 颜色: '红', 尺码: 'M' }, price: 1e12, stock: 1 }] }, 'VALIDATION_FAILED'],
    ['negative stock', { skus: [{ specs: { 颜色: '红', 尺码: 'M' }, price: 1, stock: -5 }] }, 'VALIDATION_FAILED'],
    ['no SKU', { skus: [] }, 'VALIDATION_FAILED'],
    ['an unknown category', { categoryId: 'nope' }, 'NOT_FOUND'],
    ['another shop\'s image', { images: ['shops/shop-other/images/abc.png'] }, 'IMAGE_NOT_FOUND'],
  ])('refuses %s and writes nothing', async (_, over, code) => {
    const shop = await db();
    const before = [await t.count(shop, 'products'), await t.count(shop, 'skus'), await t.count(shop, 'audit_log')];
    const res = await admin('/products', { body: dress(over) });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.code).toBe(code);
    expect([await t.count(shop, 'products'), await t.count(shop, 'skus'), await t.count(shop, 'audit_log')]).toEqual(before);
  });

  it('saves an edit as deltas: stock adjustments are ledgered, dropped SKUs retire, re-added ones revive', async () => {
    const first = await admin(`/products/${productId}`, { method: 'PUT', body: dress({
      skus: [
        { specs: { 颜色: '红', 尺码: 'M' }, price: 18900, stock: 9 },
        { specs: { 颜色: '蓝', 尺码: 'L' }, price: 21900, stock: 8 },
      ],
    }) });
    expect(first.status).toBe(200);
    expect(first.body.skus).toHaveLength(2);
    expect(first.body.product.priceMin).toBe(18900);
    const shop = await db();
    expect(await t.count(shop, 'skus', 'product_id = ? AND deleted_at IS NOT NULL', [productId])).toBe(2);
    const adjust = (await shop.execute({ sql: "SELECT delta FROM stock_movements WHERE reason = 'adjust'", args: [] })).rows.map((r) => Number(r.delta));
    expect(adjust).toEqual([4]);

    const revived = await admin(`/products/${productId}`, { method: 'PUT', body: dress() });
    expect(revived.body.skus).toHaveLength(4);
    expect(await t.count(shop, 'skus', 'product_id = ?', [productId])).toBe(4);
    // Ledger and cached stock agree for every SKU.
    const drift = await shop.execute({ sql: `SELECT k.id FROM skus k WHERE k.stock <> (SELECT coalesce(sum(delta), 0) FROM stock_movements m WHERE m.sku_id = k.id)`, args: [] });
    expect(drift.rows).toEqual([]);
  });

  it('lists low stock at or under the threshold, sold out first', async () => {
    const items = (await admin('/low-stock')).body.items as { productId: string; stock: number; specs: Record<string, string> }[];
    const mine = items.filter((i) => i.productId === productId);
    expect(mine.map((i) => [i.stock, i.specs])).toEqual([[0, { 颜色: '蓝', 尺码: 'M' }], [3, { 颜色: '红', 尺码: 'L' }]]);
    expect(items.map((i) => i.stock)).toEqual([...items.map((i) => i.stock)].sort((a, b) => a - b));
  });

  it('takes a product off the shelf: gone from the storefront, still in the admin', async () => {
    expect((await admin(`/products/${productId}/shelf`, { body: { status: 'off' } })).status).toBe(200);
    expect((await t.request(HOST, `/api/catalog/products/${productId}`)).status).toBe(404);
    expect((await t.request(HOST, '/api/catalog/products?q=碎花连衣裙')).body.items).toEqual([]);
    expect((await admin('/products?status=off')).body.items.map((i: { id: string }) => i.id)).toContain(productId);
    await admin(`/products/${productId}/shelf`, { body: { status: 'on' } });
    const detail = await t.request(HOST, `/api/catalog/products/${productId}`);
    expect(detail.status).toBe(200);
    expect(detail.body.skus).toHaveLength(4);
    expect(detail.body.product).not.toHaveProperty('lowStockThreshold');
  });

  it('deletes a product: it leaves every list but its row stays for orders', async () => {
    const temp = (await admin('/products', { body: dress({ title: '临时商品' }) })).body.product.id;
    expect((await admin(`/products/${temp}`, { method: 'DELETE' })).status).toBe(200);
    expect((await t.request(HOST, `/api/catalog/products/${temp}`)).status).toBe(404);
    expect((await admin(`/products/${temp}`)).status).toBe(404);
    expect(await t.count(await db(), 'products', 'id = ?', [temp])).toBe(1);
  });
});

describe('search and listing (B3)', () => {
  beforeAll(async () => {
    const names = ['真丝衬衫', '纯棉T恤', '羊毛大衣', '牛仔短裤', '碎花半身裙'];
    for (let i = 0; i < 25; i++) {
      const res = await admin('/products', { body: dress({
        title: `${names[i % names.length]} 第${i}款`, subtitle: i % 2 ? '新品' : '经典',
        skus: [{ specs: { 颜色: '红', 尺码: 'M' }, price: 1000 + i * 100, stock: 10 }],
        specs: [{ name: '颜色', values: ['红'] }, { name: '尺码', values: ['M'] }],
        categoryId: i < 20 ? child : root,
      }) });
      expect(res.status).toBe(201);
      await (await db()).execute({ sql: 'UPDATE products SET sales = ? WHERE id = ?', args: [(i * 7) % 11, res.body.product.id] });
    }
  });

  const list = async (query: string) => {
    const res = await t.request(HOST, `/api/catalog/products?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { items: { id: string; title: string; priceMin: number; sales: number }[]; nextCursor: string | null };
  };

  it('finds Chinese substrings of three or more characters through the trigram index', async () => {
    const found = await list(`q=${encodeURIComponent('羊毛大')}`);
    expect(found.items.length).toBe(5);
    expect(found.items.every((i) => i.title.includes('羊毛大衣'))).toBe(true);
  });

  it('finds one- and two-character words by LIKE, and treats % and quotes as text', async () => {
    expect((await list(`q=${encodeURIComponent('衬衫')}`)).items).toHaveLength(5);
    expect((await list(`q=${encodeURIComponent('裙')}`)).items.length).toBeGreaterThanOrEqual(5);
    expect((await list(`q=${encodeURIComponent('%')}`)).items).toEqual([]);
    expect((await list(`q=${encodeURIComponent('"大衣" OR *')}`)).items).toEqual([]);
  });

  it('sorts by price both ways and by sales', async () => {
    const asc = (await list('sort=price_asc&limit=50')).items.map((i) => i.priceMin);
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    const desc = (await list('sort=price_desc&limit=50')).items.map((i) => i.priceMin);
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    const sales = (await list('sort=sales&limit=50')).items.map((i) => i.sales);
    expect(sales).toEqual([...sales].sort((a, b) => b - a));
  });

  it('filters by price range and by a root category including its children', async () => {
    const ranged = (await list('minPrice=1500&maxPrice=2000&limit=50')).items;
    expect(ranged.length).toBeGreaterThan(0);
    expect(ranged.every((i) => i.priceMin >= 1500 && i.priceMin <= 2000)).toBe(true);
    const rootOnly = (await list(`categoryId=${root}&limit=50`)).items.length;
    const childOnly = (await list(`categoryId=${child}&limit=50`)).items.length;
    expect(rootOnly).toBeGreaterThan(childOnly);
  });

  it('pages with cursors without duplicates or gaps in every sort', async () => {
    for (const sort of ['sales', 'price_asc', 'price_desc', 'newest']) {
      const all = (await list(`sort=${sort}&limit=50`)).items.map((i) => i.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await list(`sort=${sort}&limit=7${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen, sort).toEqual(all);
    }
    // Relevance pages by offset: the same rows in the same order, page by page.
    const query = encodeURIComponent('羊毛大');
    const all = (await list(`q=${query}&limit=50`)).items.map((i) => i.id);
    const first = await list(`q=${query}&limit=1`);
    const second = await list(`q=${query}&limit=1&cursor=${first.nextCursor}`);
    expect([...first.items, ...second.items].map((i) => i.id)).toEqual(all.slice(0, 2));
  });

  it('answers a garbage cursor or sort with a clean result or 400, never 500', async () => {
    expect((await t.request(HOST, '/api/catalog/products?cursor=%%%')).status).toBe(200);
    expect((await t.request(HOST, '/api/catalog/products?sort=evil')).status).toBe(400);
    expect((await t.request(HOST, '/api/catalog/products?minPrice=-1')).status).toBe(400);
  });
});

describe('image uploads', () => {
  it('stores a real PNG by content hash under the shop prefix and serves it back', async () => {
    const png = solidPng(4, 3);
    const res = await admin('/uploads', { body: png, headers: { 'content-type': 'image/png' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ contentType: 'image/png', width: 4, height: 3 });
    expect(res.body.key).toMatch(/^shops\/shop-[0-9a-f]{32}\/images\/[0-9a-f]{64}\.png$/);
    const again = await admin('/uploads', { body: png, headers: { 'content-type': 'image/png' } });
    expect(again.body.key).toBe(res.body.key);
    const served = await t.app.request(`http://${HOST}/api/files/${res.body.key}`, { headers: { host: HOST } });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(png);
    // Another shop cannot serve this shop's file.
    await t.signupShop('other');
    expect((await t.app.request(`http://other.localhost/api/files/${res.body.key}`, { headers: { host: 'other.localhost' } })).status).toBe(404);
  });

  it('judges the type by the bytes: an SVG or HTML labelled image/png is refused', async () => {
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const res = await admin('/uploads', { body: svg, headers: { 'content-type': 'image/png' } });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('IMAGE_TYPE_UNSUPPORTED');
  });

  it('refuses an image over 5 MiB', async () => {
    const big = new Uint8Array(5 * 1024 * 1024 + 10);
    big.set(solidPng(1, 1));
    const res = await admin('/uploads', { body: big, headers: { 'content-type': 'image/png' } });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('IMAGE_TOO_LARGE');
  });
});

describe('stock edits while buyers buy', () => {
  it('applies only the merchant\'s change to the stock the editor showed, keeping sales made meanwhile', async () => {
    const created = await admin('/products', { body: dress({ title: '并发库存', specs: [{ name: '颜色', values: ['红'] }, { name: '尺码', values: ['M'] }], skus: [{ specs: { 颜色: '红', 尺码: 'M' }, price: 100, stock: 10 }] }) });
    const skuId = created.body.skus[0].id;
    // A sale takes 2 while the editor still shows 10.
    await (await db()).execute({ sql: 'UPDATE skus SET stock = stock - 2 WHERE id = ?', args: [skuId] });
    const saved = await admin(`/products/${created.body.product.id}`, { method: 'PUT', body: dress({
      title: '并发库存', specs: [{ name: '颜色', values: ['红'] }, { name: '尺码', values: ['M'] }],
      skus: [{ specs: { 颜色: '红', 尺码: 'M' }, price: 100, stock: 15, baseStock: 10 }],
    }) });
    expect(saved.status).toBe(200);
    expect(saved.body.skus[0].stock).toBe(13);
  });
});
