// The demo shop's catalog: a few real-looking products so `npm start` shows a working shop.
// Created through the admin API in-process, so it passes the same validation as a merchant's.
import type { TuikeApp } from '@tuike/api';
import { solidPng } from '../apps/api/src/testing/images';

const HOST = 'demo.localhost';

export async function seedDemoCatalog(app: TuikeApp, owner: { email: string; password: string }) {
  const call = async (path: string, body: unknown, cookie = '', type = 'application/json') => {
    const res = await app.request(`http://${HOST}${path}`, {
      method: 'POST', headers: { host: HOST, origin: `http://${HOST}`, 'content-type': type, cookie },
      body: body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body),
    });
    const json = await res.json() as Record<string, any>;
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
    return { json, cookies: res.headers.getSetCookie() };
  };
  const login = await call('/api/admin/auth/login', owner);
  const staff = login.cookies[0]!.split(';')[0]!;
  const image = async (rgb: [number, number, number]) => (await call('/api/admin/uploads', solidPng(480, 480, rgb), staff, 'image/png')).json.key as string;

  const type = (await call('/api/admin/product-types', {
    name: '服饰', attributes: [{ name: '材质', values: ['棉', '麻', '真丝'] }],
    specs: [{ name: '颜色', values: ['红', '蓝', '白'] }, { name: '尺码', values: ['S', 'M', 'L'] }],
  }, staff)).json.type.id;
  const clothes = (await call('/api/admin/categories', { name: '女装' }, staff)).json.category.id;
  const dresses = (await call('/api/admin/categories', { name: '连衣裙', parentId: clothes, typeId: type }, staff)).json.category.id;
  const tea = (await call('/api/admin/categories', { name: '茶叶' }, staff)).json.category.id;

  await call('/api/admin/products', {
    title: '法式碎花连衣裙', subtitle: '夏季新款 棉质 显瘦', categoryId: dresses, status: 'on', images: [await image([228, 57, 60]), await image([250, 200, 200])],
    descriptionHtml: '<p>轻盈棉质面料，<strong>透气舒适</strong>。</p>', attributes: { 材质: '棉' }, lowStockThreshold: 3,
    specs: [{ name: '颜色', values: ['红', '蓝'] }, { name: '尺码', values: ['S', 'M', 'L'] }],
    skus: ['红', '蓝'].flatMap((color, i) => ['S', 'M', 'L'].map((size, j) => ({ specs: { 颜色: color, 尺码: size }, price: 19900 + j * 1000, marketPrice: 29900, stock: 10 + i * 5 + j }))),
  }, staff);
  await call('/api/admin/products', {
    title: '真丝衬衫', subtitle: '桑蚕丝 通勤百搭', categoryId: dresses, status: 'on', images: [await image([240, 240, 235])],
    attributes: { 材质: '真丝' }, specs: [{ name: '颜色', values: ['白'] }, { name: '尺码', values: ['S', 'M', 'L'] }],
    skus: ['S', 'M', 'L'].map((size) => ({ specs: { 颜色: '白', 尺码: size }, price: 39900, stock: 8 })),
  }, staff);
  const longjing = await call('/api/admin/products', {
    title: '明前西湖龙井 50克', subtitle: '核心产区 礼盒装', categoryId: tea, status: 'on', images: [await image([96, 160, 80])],
    skus: [{ price: 12800, marketPrice: 16800, stock: 50 }],
  }, staff);
  await call('/api/admin/products', {
    title: '安吉白茶 100克', subtitle: '清香回甘', categoryId: tea, status: 'on', images: [await image([200, 220, 160])],
    skus: [{ price: 9800, stock: 2 }], lowStockThreshold: 5,
  }, staff);

  // Marketing (E1–E4): the first-party plugins installed, with a coupon, a campaign and a flash sale running.
  for (const id of ['coupons', 'campaigns', 'flash-sale', 'points']) await call(`/api/admin/plugins/${id}/install`, {}, staff);
  const now = Date.now();
  const week = 7 * 86_400_000;
  await call('/api/plugins/coupons/admin/templates', {
    name: '满100减20', terms: { kind: 'threshold', threshold: 10000, amountOff: 2000 }, scope: { type: 'all' }, validity: { type: 'relative', days: 30 }, quantity: 1000, perMemberLimit: 1,
  }, staff);
  await call('/api/plugins/campaigns/admin/campaigns', {
    name: '满300减30', window: { startsAt: now - 60_000, endsAt: now + 4 * week }, scope: { type: 'all' }, terms: { kind: 'tiered_reduction', tiers: [{ threshold: 30000, off: 3000 }, { threshold: 50000, off: 6000 }] },
  }, staff);
  await call('/api/plugins/flash-sale/admin/activities', {
    name: '龙井限时秒杀', startsAt: now - 60_000, endsAt: now + week,
    entries: [{ skuId: longjing.json.skus[0].id, productId: longjing.json.product.id, flashPrice: 9900, stock: 20, limitPerMember: 2 }],
  }, staff);
}
