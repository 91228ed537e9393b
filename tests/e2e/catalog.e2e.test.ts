import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Page } from 'playwright-core';
import { solidPng } from '../../apps/api/src/testing/images';
import { screenshotDir } from './harness';
import { useServerAndBrowser } from './use-server';

const env = useServerAndBrowser();

async function signUp(page: Page, slug: string) {
  await page.goto(`${env.server.base}/platform/signup`);
  await page.fill('input[name=email]', `${slug}@example.com`);
  await page.fill('input[name=password]', 'secret-pass-42');
  await page.fill('input[name=shopName]', '花花女装');
  await page.fill('input[name=slug]', slug);
  await page.click('[data-testid=signup-submit]');
  await page.waitForURL(`http://${slug}.localhost:${env.server.port}/admin**`, { timeout: 30_000 });
  // The URL matches while the ticket is still being exchanged: wait for the admin home itself.
  await page.waitForSelector('[data-testid=admin-shop-name]', { timeout: 30_000 });
}

describe('a merchant builds a catalog and a buyer finds it on a phone', () => {
  it('category → product with two specs and an image → on the shelf → search → detail with the chosen SKU', async () => {
    const page = await env.browser.newPage({ viewport: { width: 390, height: 844 } });
    await signUp(page, 'huahua');
    const shop = `http://huahua.localhost:${env.server.port}`;

    await page.goto(`${shop}/admin/categories`);
    await page.fill('[data-testid=category-name]', '连衣裙');
    await page.click('[data-testid=category-create]');
    await expect.poll(() => page.textContent('body'), { timeout: 15_000 }).toContain('连衣裙');

    await page.goto(`${shop}/admin/products/new`);
    await page.fill('[data-testid=product-title]', '法式碎花连衣裙');
    await page.selectOption('[data-testid=product-category]', { label: '连衣裙' });
    const imageFile = join(mkdtempSync(join(tmpdir(), 'tuike-img-')), 'cover.png');
    writeFileSync(imageFile, solidPng(32, 32));
    await page.setInputFiles('[data-testid=image-upload]', imageFile);
    await page.fill('[data-testid=spec-name-0]', '颜色');
    await page.fill('[data-testid=spec-values-0]', '红,蓝');
    await page.click('[data-testid=add-spec]');
    await page.fill('[data-testid=spec-name-1]', '尺码');
    await page.fill('[data-testid=spec-values-1]', 'M,L');
    await expect.poll(() => page.locator('[data-testid^=sku-price-]').count(), { timeout: 10_000 }).toBe(4);
    for (let i = 0; i < 4; i++) {
      await page.fill(`[data-testid=sku-price-${i}]`, String(199 + i * 10));
      await page.fill(`[data-testid=sku-stock-${i}]`, String(5 + i));
    }
    await page.screenshot({ path: join(screenshotDir, 'catalog-product-editor.png'), fullPage: true });
    await page.click('[data-testid=product-save]');
    await page.waitForURL(/\/admin\/products(\/|$|\?)/, { timeout: 15_000 });

    await page.goto(`${shop}/admin/products`);
    await expect.poll(() => page.locator('[data-testid=product-row]').count(), { timeout: 15_000 }).toBe(1);
    const toggle = page.locator('[data-testid=shelf-toggle]').first();
    if (!/下架/.test((await toggle.textContent()) ?? '')) await toggle.click();
    await expect.poll(() => toggle.textContent(), { timeout: 10_000 }).toMatch(/下架/);

    const buyer = await env.browser.newPage({ viewport: { width: 390, height: 844 } });
    await buyer.goto(`${shop}/`);
    await expect.poll(() => buyer.locator('[data-testid=product-card]').count(), { timeout: 15_000 }).toBe(1);
    await buyer.fill('[data-testid=search-input]', '碎花连');
    await buyer.click('[data-testid=search-submit]');
    await expect.poll(() => buyer.locator('[data-testid=product-card]').count(), { timeout: 15_000 }).toBe(1);
    await buyer.locator('[data-testid=product-card]').first().click();
    await expect.poll(() => buyer.textContent('[data-testid=product-title]'), { timeout: 15_000 }).toContain('法式碎花连衣裙');
    await buyer.locator('[data-testid=spec-option]', { hasText: '蓝' }).click();
    await buyer.locator('[data-testid=spec-option]', { hasText: 'L' }).click();
    await expect.poll(() => buyer.textContent('[data-testid=sku-price]'), { timeout: 10_000 }).toContain('229');
    expect(await buyer.textContent('[data-testid=sku-stock]')).toContain('8');
    await buyer.screenshot({ path: join(screenshotDir, 'storefront-product-detail.png'), fullPage: true });
  });
});
