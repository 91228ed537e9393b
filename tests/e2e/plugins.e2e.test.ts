import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { merchantShop, OWNER_PASSWORD } from './steps';
import { screenshotDir } from './harness';
import { useServerAndBrowser } from './use-server';

const env = useServerAndBrowser();
const shot = (page: Page, name: string) => page.screenshot({ path: join(screenshotDir, `plugins-${name}.png`), fullPage: true });

describe('the shop owner manages plugins in the admin (G2)', () => {
  it('installs the first-party coupons plugin, changes a setting, disables and re-enables it, uninstalls it removing its data', async () => {
    const { shop, email } = await merchantShop(env.server.base, 'chajian', { title: '明前龙井', skus: [{ price: 20000, stock: 10 }] });
    const page = await env.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${shop}/admin/login`);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', OWNER_PASSWORD);
    await page.click('[data-testid=admin-login-submit]');
    await page.waitForSelector('[data-testid=admin-shop-name]', { timeout: 15_000 });

    // The menu's 插件 opens the marketplace: coupons is offered, not installed.
    await page.click('[data-testid=nav-plugins]');
    const row = page.locator('[data-testid=plugin-row][data-id=coupons]');
    await row.waitFor({ timeout: 15_000 });
    expect(await row.getAttribute('data-installed')).toBe('no');
    expect(await row.locator('[data-testid=plugin-badges]').textContent()).toContain('官方');
    await shot(page, 'list');

    await row.locator('[data-testid=plugin-install]').click();
    await expect.poll(() => row.getAttribute('data-installed'), { timeout: 15_000 }).toBe('yes');
    expect(await row.getAttribute('data-enabled')).toBe('yes');
    expect(await row.locator('[data-testid=plugin-state]').textContent()).toBe('已启用');
    await shot(page, 'installed');

    // Its settings, generated from the plugin's form: switch off the claim centre and save.
    await row.locator('[data-testid=plugin-open]').click();
    await page.waitForSelector('[data-testid=plugin-settings-form]', { timeout: 15_000 });
    const claimCentre = '[data-testid=setting-showClaimCentre]';
    expect(await page.isChecked(claimCentre)).toBe(true);
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/admin/plugins/coupons/settings') && r.request().method() === 'PUT');
    await page.uncheck(claimCentre);
    await page.click('[data-testid=plugin-settings-save]');
    expect((await saved).status()).toBe(200);
    await page.waitForSelector('[data-testid=plugin-settings-saved]', { timeout: 15_000 });
    await shot(page, 'settings');
    await page.reload();
    await page.waitForSelector('[data-testid=plugin-settings-form]', { timeout: 15_000 });
    expect(await page.isChecked(claimCentre)).toBe(false);
    expect(await page.isChecked('[data-testid=setting-autoPickBest]')).toBe(true);

    // Disable, then enable again.
    const detail = page.locator('[data-testid=plugin-detail]');
    await page.click('[data-testid=plugin-disable]');
    await expect.poll(() => detail.getAttribute('data-enabled'), { timeout: 15_000 }).toBe('no');
    await shot(page, 'disabled');
    await page.click('[data-testid=plugin-enable]');
    await expect.poll(() => detail.getAttribute('data-enabled'), { timeout: 15_000 }).toBe('yes');

    // Uninstall, choosing to remove the data, and confirm.
    await page.click('[data-testid=plugin-uninstall]');
    await page.waitForSelector('[data-testid=plugin-uninstall-panel]', { timeout: 10_000 });
    await page.check('[data-testid=plugin-data-remove]');
    await shot(page, 'uninstall');
    const uninstalled = page.waitForResponse((r) => r.url().endsWith('/api/admin/plugins/coupons/uninstall'));
    await page.click('[data-testid=plugin-uninstall-confirm]');
    const res = await uninstalled;
    expect(res.status()).toBe(200);
    expect(JSON.parse(res.request().postData() ?? '{}')).toEqual({ keepData: false });
    expect((await res.json()).droppedTables.length).toBeGreaterThan(0);
    await expect.poll(() => detail.getAttribute('data-installed'), { timeout: 15_000 }).toBe('no');
    expect(await page.locator('[data-testid=plugin-settings-form]').count()).toBe(0);

    await page.click('[data-testid=plugin-back]');
    await expect.poll(() => row.getAttribute('data-installed'), { timeout: 15_000 }).toBe('no');
    await shot(page, 'uninstalled');

    // The stacking rules, from the marketplace: coupons and campaigns never together; then the defaults again.
    await page.click('[data-testid=plugins-stacking-link]');
    const pair = '[data-testid="stacking-pair-campaign+coupon"]';
    await page.waitForSelector(pair, { timeout: 15_000 });
    expect(await page.inputValue(pair)).toBe('stack');
    await page.selectOption(pair, 'never');
    const put = page.waitForResponse((r) => r.url().endsWith('/api/admin/plugin-stacking') && r.request().method() === 'PUT');
    await page.click('[data-testid=stacking-save]');
    const stored = await put;
    expect(stored.status()).toBe(200);
    // Only what differs from the defaults is sent.
    expect(JSON.parse(stored.request().postData() ?? '{}')).toEqual({ pick: {}, pairs: [{ classes: ['coupon', 'campaign'], rule: 'never' }] });
    await page.waitForSelector('[data-testid=stacking-saved]', { timeout: 15_000 });
    await shot(page, 'stacking');
    await page.reload();
    await page.waitForSelector(pair, { timeout: 15_000 });
    expect(await page.inputValue(pair)).toBe('never');
    await page.click('[data-testid=stacking-reset]');
    await expect.poll(() => page.inputValue(pair), { timeout: 15_000 }).toBe('stack');
  });
});
