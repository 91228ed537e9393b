import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/** The owner's password of every shop the browser tests open. */
export const OWNER_PASSWORD = 'secret-pass-42';

/**
 * Merchant side through the API: a shop (`茶小铺`, path-routed), its owner signed in, a category
 * 绿茶 and `product` (title, specs, SKUs) on the shelf in it.
 */
export async function merchantShop(base: string, slug: string, product: Record<string, unknown>) {
  const post = async (url: string, body: unknown, cookie = '') => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', origin: base, cookie }, body: JSON.stringify(body) });
    return { status: res.status, cookies: res.headers.getSetCookie(), body: await res.json() as Record<string, any> };
  };
  const email = `${slug}@example.com`;
  const signup = await post(`${base}/api/platform/signup`, { email, password: OWNER_PASSWORD, shopName: '茶小铺', slug });
  const shop = `${base}/s/${slug}`;
  const login = await post(`${shop}/api/admin/auth/ticket`, { ticket: new URL(signup.body.adminPathUrl).searchParams.get('ticket') });
  const staff = login.cookies[0]!.split(';')[0]!;
  const category = await post(`${shop}/api/admin/categories`, { name: '绿茶' }, staff);
  const created = await post(`${shop}/api/admin/products`, { ...product, categoryId: category.body.category.id, status: 'on' }, staff);
  expect(created.status).toBe(201);
  return { shop, staff, email, productId: created.body.product.id as string };
}

/** The delivery address every browser test's buyer types at the first checkout. */
const ADDRESS = { name: '张三', phone: '13800000000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '龙井路 1 号' };

/** On the checkout page of a buyer without addresses: types one in, saves it, waits for the priced total. */
export async function addFirstAddress(page: Page, expectedTotal: string) {
  await page.waitForSelector('[data-testid=address-form]', { timeout: 15_000 });
  for (const [field, value] of Object.entries(ADDRESS)) await page.fill(`[data-testid=address-${field}]`, value);
  await page.click('[data-testid=address-save]');
  await expect.poll(() => page.textContent('[data-testid=checkout-bar-total]'), { timeout: 15_000 }).toContain(expectedTotal);
}
