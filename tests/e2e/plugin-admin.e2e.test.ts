import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { merchantShop, OWNER_PASSWORD } from './steps';
import { screenshotDir } from './harness';
import { useServerAndBrowser } from './use-server';
import { manifestJson } from '@tuike/plugin-sdk/engine';
import { bundleOf, wishlist } from '../../apps/api/src/plugins/testing/sample-plugins';

// The platform's plugin reviewers (G3): the server started for this file reads it from the environment.
const REVIEWER = 'reviewer@example.com';
process.env.PLATFORM_REVIEWERS = REVIEWER;

const env = useServerAndBrowser();
const shot = (page: Page, name: string) => page.screenshot({ path: join(screenshotDir, `plugin-admin-${name}.png`), fullPage: true });

/** `yyyy-mm-ddThh:mm` in the browser's (this machine's) time zone, for a datetime-local input. */
function localInput(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

async function adminLogin(page: Page, shop: string, email: string) {
  await page.goto(`${shop}/admin/login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', OWNER_PASSWORD);
  await page.click('[data-testid=admin-login-submit]');
  await page.waitForSelector('[data-testid=admin-shop-name]', { timeout: 15_000 });
}

/** From the marketplace list: install the plugin, open it, follow 管理 to its admin page. */
async function installAndManage(page: Page, shop: string, pluginId: string) {
  await page.goto(`${shop}/admin/plugins`);
  const row = page.locator(`[data-testid=plugin-row][data-id=${pluginId}]`);
  await row.waitFor({ timeout: 15_000 });
  await row.locator('[data-testid=plugin-install]').click();
  await expect.poll(() => row.getAttribute('data-installed'), { timeout: 15_000 }).toBe('yes');
  await row.locator('[data-testid=plugin-open]').click();
  await page.waitForSelector('[data-testid=plugin-manage]', { timeout: 15_000 });
  await page.click('[data-testid=plugin-manage]');
}

describe('the merchant runs the marketing plugins from their admin pages (E1, E2)', () => {
  it('installs coupons and creates a 满100减20 coupon; installs flash sale and puts a SKU on sale', async () => {
    const { shop, email } = await merchantShop(env.server.base, 'yingxiao', {
      title: '明前龙井', specs: [{ name: '规格', values: ['50g', '100g'] }],
      skus: [{ specs: { 规格: '50g' }, price: 12800, stock: 20 }, { specs: { 规格: '100g' }, price: 23800, stock: 10 }],
    });
    const page = await env.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    page.on('dialog', (d) => void d.accept());
    await adminLogin(page, shop, email);

    // Coupons: install, 管理, the empty list, the form.
    await installAndManage(page, shop, 'coupons');
    await page.waitForSelector('[data-testid=coupons-empty]', { timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe('/s/yingxiao/admin/plugins/coupons/templates');
    await page.click('[data-testid=coupon-new]');
    await page.waitForSelector('[data-testid=coupon-form]');
    expect(await page.isChecked('[data-testid=coupon-kind-threshold]')).toBe(true);

    // A wrong amount stays beside its field; the plugin's own rule (amount off ≤ threshold) too.
    await page.fill('[data-testid=coupon-name]', '满100减20');
    await page.fill('[data-testid=coupon-amount-off]', '20.123');
    await page.fill('[data-testid=coupon-threshold]', '100');
    await page.click('[data-testid=coupon-save]');
    expect(await page.textContent('[data-testid=coupon-amount-off-error]')).toContain('金额');
    await page.fill('[data-testid=coupon-amount-off]', '120');
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/plugins/coupons/admin/templates') && r.request().method() === 'POST');
    await page.click('[data-testid=coupon-save]');
    expect((await refused).status()).toBe(400);
    // The platform checks the body with the plugin's schema: its message above, the rule's beside the kind.
    await page.waitForSelector('[data-testid=coupon-form-error]', { timeout: 10_000 });
    expect(await page.textContent('[data-testid=coupon-form-error]')).toContain('输入有误');
    expect(await page.textContent('[data-testid=coupon-terms-error]')).toContain('cannot exceed the threshold');
    await shot(page, 'coupon-invalid');

    await page.fill('[data-testid=coupon-amount-off]', '20');
    await page.fill('[data-testid=coupon-days]', '7');
    await page.fill('[data-testid=coupon-quantity]', '500');
    await page.fill('[data-testid=coupon-limit]', '2');
    const created = page.waitForResponse((r) => r.url().endsWith('/api/plugins/coupons/admin/templates') && r.request().method() === 'POST');
    await page.click('[data-testid=coupon-save]');
    const res = await created;
    expect(res.status()).toBe(201);
    const sent = JSON.parse(res.request().postData() ?? '{}');
    expect(sent.terms).toEqual({ kind: 'threshold', amountOff: 2000, threshold: 10000 });
    expect(sent.validity).toEqual({ type: 'relative', days: 7 });
    expect(sent).toMatchObject({ name: '满100减20', quantity: 500, perMemberLimit: 2, scope: { type: 'all' } });
    const row = page.locator('[data-testid=coupon-row]').first();
    await row.waitFor({ timeout: 15_000 });
    expect(await row.getAttribute('data-status')).toBe('active');
    expect(await row.locator('[data-testid=coupon-row-issued]').textContent()).toBe('已领取 0/500');
    await expect.poll(() => row.locator('[data-testid=coupon-row-used]').textContent(), { timeout: 10_000 }).toBe('已使用 0');
    expect(await row.locator('[data-testid=coupon-row-summary]').textContent()).toMatch(/满.*100.*减.*20/);
    await shot(page, 'coupons');

    // Disable, enable again.
    await row.locator('[data-testid=coupon-disable]').click();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 10_000 }).toBe('disabled');
    await row.locator('[data-testid=coupon-enable]').click();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 10_000 }).toBe('active');

    // Flash sale: install, 管理, create an activity on the 100g SKU.
    await installAndManage(page, shop, 'flash-sale');
    await page.waitForSelector('[data-testid=flash-empty]', { timeout: 15_000 });
    await page.click('[data-testid=flash-new]');
    await page.waitForSelector('[data-testid=flash-form]');
    await page.fill('[data-testid=flash-name]', '周末秒杀');
    const now = Date.now();
    await page.fill('[data-testid=flash-starts]', localInput(now + 60 * 60_000));
    await page.fill('[data-testid=flash-ends]', localInput(now + 2 * 86_400_000));
    await page.selectOption('[data-testid=flash-picker-product]', { label: '明前龙井' });
    const skuButtons = page.locator('[data-testid=flash-picker-sku]');
    await expect.poll(() => skuButtons.count(), { timeout: 15_000 }).toBe(2);
    await page.locator('[data-testid=flash-picker] li', { hasText: '100g' }).locator('[data-testid=flash-picker-sku]').click();
    const entry = page.locator('[data-testid=flash-entry]');
    await entry.waitFor();
    expect(await entry.textContent()).toContain('100g');
    await entry.locator('[data-testid=flash-entry-price]').fill('199.9');
    await entry.locator('[data-testid=flash-entry-stock]').fill('5');
    await entry.locator('[data-testid=flash-entry-limit]').fill('1');
    await shot(page, 'flash-form');
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/plugins/flash-sale/admin/activities') && r.request().method() === 'POST');
    await page.click('[data-testid=flash-save]');
    const flashRes = await saved;
    expect(flashRes.status()).toBe(201);
    const body = JSON.parse(flashRes.request().postData() ?? '{}');
    expect(body.entries).toEqual([expect.objectContaining({ flashPrice: 19990, stock: 5, limitPerMember: 1 })]);
    expect(body.status).toBe('active');
    const flashRow = page.locator('[data-testid=flash-row]').first();
    await flashRow.waitFor({ timeout: 15_000 });
    expect(await flashRow.getAttribute('data-phase')).toBe('upcoming');
    expect(await flashRow.locator('[data-testid=flash-row-entry-price]').textContent()).toBe('¥199.90');
    expect(await flashRow.locator('[data-testid=flash-row-entry-sold]').textContent()).toBe('0/5');
    await shot(page, 'flash');

    // Edit: the stock goes to 8; then disable.
    await flashRow.locator('[data-testid=flash-edit]').click();
    await page.waitForSelector('[data-testid=flash-form][data-mode=edit]');
    await page.locator('[data-testid=flash-entry] [data-testid=flash-entry-stock]').fill('8');
    const patched = page.waitForResponse((r) => r.url().includes('/api/plugins/flash-sale/admin/activities/') && r.request().method() === 'PATCH');
    await page.click('[data-testid=flash-save]');
    expect((await patched).status()).toBe(200);
    await expect.poll(() => flashRow.locator('[data-testid=flash-row-entry-sold]').textContent(), { timeout: 10_000 }).toBe('0/8');
    await flashRow.locator('[data-testid=flash-disable]').click();
    await expect.poll(() => flashRow.getAttribute('data-phase'), { timeout: 10_000 }).toBe('disabled');
    await page.close();
  });
});

/** A platform account (every account signs up with a shop today), then signed in on /platform/login in its own browser context. */
async function platformUser(email: string, slug: string) {
  const res = await fetch(`${env.server.base}/api/platform/signup`, {
    method: 'POST', headers: { 'content-type': 'application/json', origin: env.server.base },
    body: JSON.stringify({ email, password: OWNER_PASSWORD, shopName: '开发者小店', slug }),
  });
  expect(res.status).toBe(201);
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${env.server.base}/platform/login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', OWNER_PASSWORD);
  await page.click('[data-testid=platform-login-submit]');
  await page.waitForSelector('[data-testid=my-shops]', { timeout: 15_000 });
  return page;
}

describe('plugin authors and reviewers use the platform console (G3)', () => {
  it('an author becomes one, creates a listing, uploads and submits a version; the reviewer approves and publishes it', async () => {
    const author = await platformUser('dev@example.com', 'kaifazhe');
    await author.goto(`${env.server.base}/platform/plugins`);
    await author.waitForSelector('[data-testid=console-become-author]', { timeout: 15_000 });
    await shot(author, 'console-become-author');
    await author.click('[data-testid=console-become-author-submit]');
    await author.waitForSelector('[data-testid=console-no-plugins]', { timeout: 15_000 });

    await author.click('[data-testid=console-new-listing]');
    await author.fill('[data-testid=console-listing-id]', 'e2e-wishlist');
    await author.fill('[data-testid=console-listing-name-zh]', '心愿单');
    await author.fill('[data-testid=console-listing-name-en]', 'Wishlist');
    await author.fill('[data-testid=console-listing-summary-zh]', '收藏想买的商品');
    await author.fill('[data-testid=console-listing-summary-en]', 'Keep products for later');
    await author.fill('[data-testid=console-listing-description-zh]', '收藏想买的商品，稍后再买');
    await author.fill('[data-testid=console-listing-description-en]', 'Keep products to buy later');
    await author.selectOption('[data-testid=console-listing-category]', 'sales');
    await shot(author, 'console-listing-form');
    await author.click('[data-testid=console-listing-save]');
    await author.waitForSelector('[data-testid=console-plugin-detail][data-id=e2e-wishlist]', { timeout: 15_000 });
    expect(new URL(author.url()).pathname).toBe('/platform/plugins/e2e-wishlist');
    await author.waitForSelector('[data-testid=console-no-versions]');

    // Upload through the form: the whole { manifest, bundle } pasted into the manifest box.
    const m = manifestJson(wishlist('1.0.0'));
    const manifest = { ...m, id: 'e2e-wishlist', migrations: m.migrations.map((sql) => sql.replaceAll('plg_wishlist_', 'plg_e2e_wishlist_')) };
    await author.fill('[data-testid=console-upload-manifest]', '{ not json');
    await author.click('[data-testid=console-upload-save]');
    await author.waitForSelector('[data-testid=console-upload-manifest-error]');
    await author.fill('[data-testid=console-upload-manifest]', JSON.stringify({ manifest, bundle: bundleOf('e2e-wishlist 1.0.0') }, null, 2));
    await author.click('[data-testid=console-upload-save]');
    const version = author.locator('[data-testid=console-version][data-version="1.0.0"]');
    await version.waitFor({ timeout: 15_000 });
    expect(await version.getAttribute('data-status')).toBe('draft');
    expect(await version.locator('[data-testid=console-capabilities]').textContent()).toContain(m.capabilities[0] ?? '');
    await version.locator('[data-testid=console-version-submit]').click();
    await expect.poll(() => version.getAttribute('data-status'), { timeout: 15_000 }).toBe('submitted');
    await shot(author, 'console-plugin');

    // The reviewer's queue.
    const reviewer = await platformUser(REVIEWER, 'shenhe');
    await reviewer.goto(`${env.server.base}/platform/review`);
    const item = reviewer.locator('[data-testid=console-review-item][data-id=e2e-wishlist]');
    await item.waitFor({ timeout: 15_000 });
    expect(await item.textContent()).toContain('dev@example.com');
    await shot(reviewer, 'console-queue');
    // Rejecting needs a reason.
    await item.locator('[data-testid=console-review-reject]').click();
    await item.locator('[data-testid=console-review-note-error]').waitFor();
    await item.locator('[data-testid=console-review-approve]').click();
    const approved = reviewer.locator('[data-testid=console-approved] [data-testid=console-review-item][data-id=e2e-wishlist]');
    await expect.poll(() => approved.getAttribute('data-status'), { timeout: 15_000 }).toBe('approved');
    await reviewer.waitForSelector('[data-testid=console-queue-empty]');
    await approved.locator('[data-testid=console-review-publish]').click();
    await expect.poll(() => approved.getAttribute('data-status'), { timeout: 15_000 }).toBe('published');
    await shot(reviewer, 'console-published');

    // The author sees it published; someone who is no reviewer is told so on /platform/review.
    await author.reload();
    await expect.poll(() => author.locator('[data-testid=console-version][data-version="1.0.0"]').getAttribute('data-status'), { timeout: 15_000 }).toBe('published');
    expect(await author.textContent('[data-testid=console-plugin-published]')).toBe('1.0.0');
    await author.goto(`${env.server.base}/platform/review`);
    await author.waitForSelector('[data-testid=console-review-forbidden]', { timeout: 15_000 });
  });
});
