import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { addFirstAddress, merchantShop, OWNER_PASSWORD } from './steps';
import { screenshotDir } from './harness';
import { useServerAndBrowser } from './use-server';

const env = useServerAndBrowser();
const shot = (page: Page, name: string) => page.screenshot({ path: join(screenshotDir, `plugin-faults-${name}.png`), fullPage: true });

describe('a broken plugin never breaks a checkout (G2)', () => {
  it('the merchant installs a plugin that throws on every pricing call; the buyer still checks out at the right price, and the plugin shows as switched off', async () => {
    const { shop, email } = await merchantShop(env.server.base, 'guzhang', { title: '碧螺春', skus: [{ price: 15000, stock: 10 }] });

    // The merchant installs the faulty demo plugin (offered because the server runs with TUIKE_TEST_PLUGINS=1) from the marketplace.
    const admin = await env.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    admin.on('dialog', (d) => void d.accept());
    await admin.goto(`${shop}/admin/login`);
    await admin.fill('input[name=email]', email);
    await admin.fill('input[name=password]', OWNER_PASSWORD);
    await admin.click('[data-testid=admin-login-submit]');
    await admin.waitForSelector('[data-testid=admin-shop-name]', { timeout: 15_000 });
    await admin.click('[data-testid=nav-plugins]');
    const row = admin.locator('[data-testid=plugin-row][data-id=faulty-demo]');
    await row.waitFor({ timeout: 15_000 });
    await row.locator('[data-testid=plugin-install]').click();
    await expect.poll(() => row.getAttribute('data-enabled'), { timeout: 15_000 }).toBe('yes');
    await shot(admin, 'installed');

    // The buyer: the cart and checkout price on every view; each call skips the plugin and counts a failure.
    const page = await env.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    await page.goto(`${shop}/register`);
    await page.fill('input[name=username]', 'guzhangbuyer');
    await page.fill('input[name=password]', 'buyer-pass-42');
    await page.click('[data-testid=register-submit]');
    await page.waitForURL((u) => !u.pathname.endsWith('/register'), { timeout: 15_000 });
    const product = (await (await page.request.get(`${shop}/api/catalog/products`)).json()) as { items: { id: string }[] };
    await page.goto(`${shop}/product/${product.items[0]!.id}`);
    const added = page.waitForResponse((r) => r.url().endsWith('/api/cart/items') && r.request().method() === 'POST');
    await page.click('[data-testid=add-to-cart]');
    expect((await added).status()).toBe(201);
    for (let i = 0; i < 3; i++) {
      await page.goto(`${shop}/cart`);
      await expect.poll(() => page.getAttribute('[data-testid=cart-total]', 'data-fen'), { timeout: 15_000 }).toBe('15000');
    }
    await page.click('[data-testid=cart-checkout]');
    await page.waitForURL(`${shop}/checkout**`);
    await addFirstAddress(page, '150.00');
    await shot(page, 'checkout');
    const submitted = page.waitForResponse((r) => r.url().endsWith('/api/checkout/submit'));
    await page.click('[data-testid=checkout-submit]');
    expect((await submitted).status()).toBe(201);
    await page.waitForURL(`${shop}/pay/**`, { timeout: 15_000 });
    await page.click('[data-testid=pay-success]');
    await page.waitForURL(`${shop}/orders/**`, { timeout: 15_000 });
    expect(await page.textContent('[data-testid=order-total]')).toBe('¥150.00');
    await shot(page, 'paid');

    // The merchant sees it switched off by the breaker, with its failures and the reason.
    await admin.goto(`${shop}/admin/plugins/faulty-demo`);
    const breaker = admin.locator('[data-testid=plugin-breaker]');
    await breaker.waitFor({ timeout: 15_000 });
    expect(await admin.textContent('[data-testid=plugin-breaker-reason]')).toContain('faulty-demo fails on purpose');
    expect(await admin.textContent('[data-testid=plugin-breaker-failures]')).toMatch(/[5-9]/);
    await shot(admin, 'switched-off');
  });
});
