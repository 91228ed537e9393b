import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { addFirstAddress, merchantShop as openShop, OWNER_PASSWORD } from './steps';
import { screenshotDir } from './harness';
import { useServerAndBrowser } from './use-server';

const env = useServerAndBrowser();

/** A shop with one product of two specs (规格 × 包装) on the shelf. */
const merchantShop = (slug: string) => openShop(env.server.base, slug, {
  title: '明前龙井',
  specs: [{ name: '规格', values: ['50克', '100克'] }, { name: '包装', values: ['罐装', '袋装'] }],
  skus: [
    { specs: { 规格: '50克', 包装: '罐装' }, price: 8800, stock: 10 },
    { specs: { 规格: '50克', 包装: '袋装' }, price: 6800, stock: 10 },
    { specs: { 规格: '100克', 包装: '罐装' }, price: 15800, stock: 10 },
    { specs: { 规格: '100克', 包装: '袋装' }, price: 12800, stock: 10 },
  ],
});

describe('a buyer on a phone buys in three steps and pays in the sandbox (C2–C4)', () => {
  it('register → spec → cart → checkout → sandbox pay → staff batch-ships by CSV → buyer confirms receipt → partial refund → staff approves → the order shows it', async () => {
    const m = await merchantShop('chaxiaopu');
    const page = await env.browser.newPage({ viewport: { width: 390, height: 844 } });
    page.on('dialog', (d) => void d.accept()); // "确认收货？" and similar confirmations
    await page.goto(`${m.shop}/register`);
    await page.fill('input[name=username]', 'tealover');
    await page.fill('input[name=password]', 'buyer-pass-42');
    const registered = page.waitForResponse((r) => r.url().endsWith('/api/member/register'));
    await page.click('[data-testid=register-submit]');
    expect((await registered).status()).toBe(201); // the URL already matches /register: wait for the session itself

    await page.goto(`${m.shop}/product/${m.productId}`);
    await page.locator('[data-testid=spec-option]', { hasText: '100克' }).click();
    await page.locator('[data-testid=spec-option]', { hasText: '罐装' }).click();
    await expect.poll(() => page.textContent('[data-testid=sku-price]')).toContain('158');
    const added = page.waitForResponse((r) => r.url().endsWith('/api/cart/items') && r.request().method() === 'POST');
    await page.click('[data-testid=add-to-cart]');
    expect((await added).status()).toBe(201);
    await page.goto(`${m.shop}/cart`);
    await expect.poll(() => page.locator('[data-testid=cart-item]').count(), { timeout: 15_000 }).toBe(1);
    await page.screenshot({ path: join(screenshotDir, 'purchase-cart.png'), fullPage: true });
    await page.click('[data-testid=cart-checkout]');
    await page.waitForURL(`${m.shop}/checkout**`);

    await addFirstAddress(page, '158.00');
    await page.screenshot({ path: join(screenshotDir, 'purchase-checkout.png'), fullPage: true });
    await page.click('[data-testid=checkout-submit]');
    await page.waitForURL(`${m.shop}/pay/**`, { timeout: 15_000 });
    await page.click('[data-testid=pay-success]');
    await page.waitForURL(`${m.shop}/orders/**`, { timeout: 15_000 });
    await expect.poll(() => page.textContent('[data-testid=order-status]'), { timeout: 15_000 }).toMatch(/待发货|paid/);
    await page.screenshot({ path: join(screenshotDir, 'purchase-paid.png'), fullPage: true });

    const orderUrl = page.url();

    // The merchant, in the admin, ships it by batch CSV.
    const staff = await env.browser.newPage({ viewport: { width: 390, height: 844 } });
    staff.on('dialog', (d) => void d.accept());
    await staff.goto(`${m.shop}/admin/login`);
    await staff.fill('input[name=email]', 'chaxiaopu@example.com');
    await staff.fill('input[name=password]', OWNER_PASSWORD);
    await staff.click('[data-testid=admin-login-submit]');
    await staff.waitForSelector('[data-testid=admin-shop-name]', { timeout: 15_000 });
    const orders = await (await fetch(`${m.shop}/api/admin/orders?status=paid`, { headers: { cookie: m.staff } })).json() as { items: { orderNo: string }[] };
    expect(orders.items).toHaveLength(1);
    await staff.goto(`${m.shop}/admin/orders/ship`);
    await staff.fill('[data-testid=ship-csv-text]', `订单号,物流公司,运单号\n${orders.items[0]!.orderNo},顺丰,SF9876543210\n`);
    await staff.click('[data-testid=ship-csv-submit]');
    await expect.poll(() => staff.textContent('[data-testid=ship-report-shipped]'), { timeout: 15_000 }).toContain('1');
    await staff.screenshot({ path: join(screenshotDir, 'purchase-batch-ship.png'), fullPage: true });

    // The buyer confirms receipt and asks for part of the money back.
    await page.goto(orderUrl);
    await page.click('[data-testid=order-receive]');
    await expect.poll(() => page.textContent('[data-testid=order-status]'), { timeout: 15_000 }).toMatch(/已收货|received/);
    await page.click('[data-testid=after-sale-start]');
    await page.waitForURL('**/after-sale', { timeout: 15_000 });
    await page.locator('[data-testid=after-sale-line-0]').check();
    await page.fill('[data-testid=after-sale-amount-0]', '50');
    await page.fill('[data-testid=after-sale-reason]', '包装破损，部分退款');
    await page.click('[data-testid=after-sale-submit]');
    await expect.poll(() => page.textContent('body'), { timeout: 15_000 }).toContain('50.00');

    // The merchant approves; the refund goes back through the sandbox provider.
    await staff.goto(`${m.shop}/admin/after-sales`);
    await staff.click('[data-testid=after-sale-approve]');
    await expect.poll(() => staff.getAttribute('[data-testid=after-sale-result]', 'data-status'), { timeout: 15_000 }).toBe('refunded');
    await page.goto(orderUrl);
    await expect.poll(() => page.textContent('[data-testid=order-line-refunded]'), { timeout: 15_000 }).toContain('50.00');
    await page.screenshot({ path: join(screenshotDir, 'purchase-refunded.png'), fullPage: true });
  });
});
