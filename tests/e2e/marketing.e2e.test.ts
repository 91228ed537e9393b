import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { addFirstAddress, merchantShop } from './steps';
import { screenshotDir } from './harness';
import { useServerAndBrowser } from './use-server';

const env = useServerAndBrowser();
const shot = (page: Page, name: string) => page.screenshot({ path: join(screenshotDir, `marketing-${name}.png`), fullPage: true });

/** The merchant's calls with the owner's cookie (the admin pages of the plugins are another story). */
function staffApi(base: string, shop: string, staff: string) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${shop}${path}`, {
      method,
      headers: { 'content-type': 'application/json', origin: base, cookie: staff },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json() as Record<string, any>;
    return { status: res.status, body: json };
  };
}

describe('a buyer on a phone claims a coupon and buys in a flash sale (E1, E4)', () => {
  it('owner installs coupons and flash sale, makes 满100减20 and a flash price; the buyer claims, sees the countdown, and pays list − flash − 20 to the fen; the coupon reads as used', async () => {
    const m = await merchantShop(env.server.base, 'yingxiao', {
      title: '明前龙井',
      specs: [{ name: '规格', values: ['100克', '50克'] }],
      skus: [
        { specs: { 规格: '100克' }, price: 15000, stock: 20 },
        { specs: { 规格: '50克' }, price: 12000, stock: 20 },
      ],
    });
    const call = staffApi(env.server.base, m.shop, m.staff);
    const product = await call('GET', `/api/admin/products/${m.productId}`);
    expect(product.status).toBe(200);
    const skuOf = (spec: string) => (product.body.skus as { id: string; specs: Record<string, string> }[]).find((s) => s.specs['规格'] === spec)!.id;
    const flashSku = skuOf('100克');

    // The merchant: both plugins installed, a 满100减20 coupon, a live flash sale of 100克 at ¥120.
    for (const id of ['coupons', 'flash-sale']) {
      const installed = await call('POST', `/api/admin/plugins/${id}/install`, {});
      expect([200, 201]).toContain(installed.status);
    }
    const clock = await call('GET', '/api/plugins/flash-sale/activities');
    expect(clock.status).toBe(200);
    const now = clock.body.serverTime as number;
    const coupon = await call('POST', '/api/plugins/coupons/admin/templates', {
      name: '满100减20', terms: { kind: 'threshold', amountOff: 2000, threshold: 10000 }, scope: { type: 'all' },
      validity: { type: 'relative', days: 7 }, quantity: 100, perMemberLimit: 1,
    });
    expect(coupon.status).toBe(201);
    const flash = await call('POST', '/api/plugins/flash-sale/admin/activities', {
      name: '春茶秒杀', startsAt: now - 60_000, endsAt: now + 2 * 3_600_000,
      entries: [{ skuId: flashSku, productId: m.productId, flashPrice: 12000, stock: 5, limitPerMember: 2 }],
    });
    expect(flash.status).toBe(201);

    // The buyer registers in the browser.
    const page = await env.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${m.shop}/coupons`);
    await page.waitForSelector('[data-testid=coupon-centre-signin]', { timeout: 15_000 });
    await page.waitForSelector('[data-testid=coupon-template]', { timeout: 15_000 });
    await shot(page, 'coupons-guest');
    await page.goto(`${m.shop}/register`);
    await page.fill('input[name=username]', 'quanyou');
    await page.fill('input[name=password]', 'buyer-pass-42');
    const registered = page.waitForResponse((r) => r.url().endsWith('/api/member/register'));
    await page.click('[data-testid=register-submit]');
    expect((await registered).status()).toBe(201);

    // Claim centre: claim the coupon; the button turns into 已领取.
    await page.goto(`${m.shop}/coupons`);
    const template = page.locator('[data-testid=coupon-template]').first();
    await template.waitFor({ timeout: 15_000 });
    expect(await template.locator('[data-testid=coupon-summary]').textContent()).toMatch(/^满100(\.00)?减20(\.00)?$/);
    expect(await template.getAttribute('data-state')).toBe('claim');
    const claimed = page.waitForResponse((r) => r.url().includes('/api/plugins/coupons/templates/') && r.url().endsWith('/claim'));
    await template.locator('[data-testid=coupon-claim]').click();
    expect((await claimed).status()).toBe(201);
    await expect.poll(() => template.getAttribute('data-state'), { timeout: 15_000 }).toBe('claimed');
    await shot(page, 'coupons-claimed');

    // Home: the flash banner counts down to the end; the claim centre's entry is there.
    await page.goto(`${m.shop}/`);
    const banner = page.locator('[data-testid=flash-banner]');
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.locator('[data-testid=flash-activity]').getAttribute('data-phase')).toBe('live');
    expect(await banner.locator('[data-testid=flash-entry-price]').textContent()).toBe('¥120.00');
    await page.waitForSelector('[data-testid=coupon-centre-entry]');
    const first = Number(await banner.locator('[data-testid=flash-banner-countdown]').getAttribute('data-ms'));
    expect(first).toBeGreaterThan(3_600_000);
    expect(first).toBeLessThanOrEqual(2 * 3_600_000);
    await expect.poll(async () => Number(await banner.locator('[data-testid=flash-banner-countdown]').getAttribute('data-ms')), { timeout: 5_000 }).toBeLessThan(first);
    await shot(page, 'home');

    // Product page: the flash price, units left, the member's allowance and the countdown.
    await page.goto(`${m.shop}/product/${m.productId}`);
    const countdown = page.locator('[data-testid=flash-countdown]');
    await countdown.waitFor({ timeout: 15_000 });
    expect(await countdown.getAttribute('data-phase')).toBe('live');
    expect(await countdown.locator('[data-testid=flash-price]').getAttribute('data-fen')).toBe('12000');
    await expect.poll(() => countdown.locator('[data-testid=flash-limit]').textContent(), { timeout: 10_000 }).toContain('还可买 2 件');
    await page.waitForSelector('[data-testid=product-coupons]', { timeout: 10_000 });
    await shot(page, 'product');

    // Both SKUs into the cart: the flash one and a full-price one for the coupon.
    for (const spec of ['100克', '50克']) {
      await page.locator('[data-testid=spec-option]', { hasText: spec }).click();
      const added = page.waitForResponse((r) => r.url().endsWith('/api/cart/items') && r.request().method() === 'POST');
      await page.click('[data-testid=add-to-cart]');
      expect((await added).status()).toBe(201);
    }

    // Cart: the flash line shows 限时秒杀 −¥30.00, the other the coupon's share; the offers above the total.
    await page.goto(`${m.shop}/cart`);
    await expect.poll(() => page.locator('[data-testid=cart-item]').count(), { timeout: 15_000 }).toBe(2);
    const flashItem = page.locator(`[data-testid=cart-item][data-sku="${flashSku}"]`);
    const flashOffer = flashItem.locator('[data-testid=line-offer][data-plugin=flash-sale]');
    await flashOffer.waitFor({ timeout: 15_000 });
    expect(await flashOffer.getAttribute('data-amount')).toBe('3000');
    expect(await flashItem.locator('[data-testid=line-paid]').textContent()).toBe('¥120.00');
    const otherItem = page.locator(`[data-testid=cart-item][data-sku="${skuOf('50克')}"]`);
    expect(await otherItem.locator('[data-testid^=cart-offers-]').getAttribute('data-discount')).toBe('2000');
    expect(await otherItem.locator('[data-testid=line-offer-share]').getAttribute('data-amount')).toBe('2000');
    expect(await page.locator('[data-testid=offer-amount][data-plugin=coupons]').getAttribute('data-amount')).toBe('2000');
    expect(await page.locator('[data-testid=offer-amount][data-plugin=flash-sale]').getAttribute('data-amount')).toBe('3000');
    expect(await page.getAttribute('[data-testid=cart-total]', 'data-fen')).toBe(String(15000 + 12000 - 3000 - 2000));
    await page.waitForSelector('[data-testid=coupon-picker]', { timeout: 10_000 });
    await shot(page, 'cart');

    // Checkout: the coupon picker shows the chosen coupon; submit and pay in the sandbox.
    await page.click('[data-testid=cart-checkout]');
    await page.waitForURL(`${m.shop}/checkout**`);
    await addFirstAddress(page, '220.00');
    await page.waitForSelector('[data-testid=coupon-picker]', { timeout: 10_000 });
    await expect.poll(() => page.textContent('[data-testid=coupon-picker-summary]'), { timeout: 10_000 }).toContain('20.00');
    expect(await page.locator('[data-testid=checkout-offers-0] [data-testid=line-offer], [data-testid=checkout-offers-1] [data-testid=line-offer]').count()).toBe(1);
    await page.click('[data-testid=coupon-picker-toggle]');
    await page.waitForSelector('[data-testid=coupon-option][data-usable=yes]');
    await shot(page, 'checkout');
    const submitted = page.waitForResponse((r) => r.url().endsWith('/api/checkout/submit'));
    await page.click('[data-testid=checkout-submit]');
    const submit = await submitted;
    expect(submit.status()).toBe(201);
    const sent = JSON.parse(submit.request().postData() ?? '{}');
    expect(sent.expectedPayTotal).toBe(22000);
    await page.waitForURL(`${m.shop}/pay/**`, { timeout: 15_000 });
    await page.click('[data-testid=pay-success]');
    await page.waitForURL(`${m.shop}/orders/**`, { timeout: 15_000 });
    await expect.poll(() => page.textContent('[data-testid=order-status]'), { timeout: 15_000 }).toMatch(/待发货|paid/);
    expect(await page.textContent('[data-testid=order-total]')).toBe('¥220.00');
    const orderId = new URL(page.url()).pathname.split('/').pop()!;
    const order = await page.request.get(`${m.shop}/api/orders/${orderId}`);
    const orderBody = await order.json() as { order: { payTotal: number; discountTotal: number; itemsTotal: number } };
    expect(orderBody.order.itemsTotal).toBe(27000);
    expect(orderBody.order.payTotal).toBe(27000 - 3000 - 2000);
    await shot(page, 'paid');

    // My coupons: the coupon is used (once the order's paid event has reached the plugin).
    await page.goto(`${m.shop}/me/coupons`);
    await page.waitForSelector('[data-testid=my-coupons-tabs]', { timeout: 15_000 });
    await expect.poll(async () => {
      await page.click('[data-testid=my-coupons-tab-used]');
      await page.waitForSelector('[data-testid=my-coupons-list], [data-testid=my-coupons-empty]', { timeout: 10_000 });
      return page.locator('[data-testid=my-coupon][data-status=used]').count();
    }, { timeout: 20_000, interval: 1_000 }).toBe(1);
    await shot(page, 'my-coupons-used');

    // The member centre shows the entry with no coupon left to use.
    await page.goto(`${m.shop}/me`);
    await expect.poll(() => page.getAttribute('[data-testid=my-coupons-count]', 'data-count'), { timeout: 15_000 }).toBe('0');
    await shot(page, 'me');
  });
});

describe('a buyer pays part of an order with points (E2)', () => {
  it('owner installs points and credits 1000; the buyer sees the balance and ledger, turns on 积分抵现 at checkout and pays ¥10 less', async () => {
    const m = await merchantShop(env.server.base, 'jifen', { title: '安吉白茶', skus: [{ price: 10000, stock: 10 }] });
    const call = staffApi(env.server.base, m.shop, m.staff);
    expect([200, 201]).toContain((await call('POST', '/api/admin/plugins/points/install', {})).status);

    const page = await env.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${m.shop}/register`);
    await page.fill('input[name=username]', 'jifenke');
    await page.fill('input[name=password]', 'buyer-pass-42');
    const registered = page.waitForResponse((r) => r.url().endsWith('/api/member/register'));
    await page.click('[data-testid=register-submit]');
    expect((await registered).status()).toBe(201);
    const me = await (await page.request.get(`${m.shop}/api/member/me`)).json() as { member: { id: string } };
    const credited = await call('POST', '/api/plugins/points/admin/adjust', { memberId: me.member.id, delta: 1000, reason: '新客礼' });
    expect(credited.status).toBeLessThan(300);

    // Member centre and /points: the balance, the ledger, the mall.
    await page.goto(`${m.shop}/me`);
    await expect.poll(() => page.getAttribute('[data-testid=points-balance]', 'data-points'), { timeout: 15_000 }).toBe('1000');
    await page.click('[data-testid=points-balance-entry]');
    await page.waitForURL(`${m.shop}/points`);
    await expect.poll(() => page.getAttribute('[data-testid=points-page-balance]', 'data-points'), { timeout: 15_000 }).toBe('1000');
    await page.waitForSelector('[data-testid=points-entry][data-kind=adjust]', { timeout: 15_000 });
    await shot(page, 'points');

    // Buy now → checkout: turn on points: 1000 points take ¥10.00 off.
    await page.goto(`${m.shop}/checkout?sku=${(await call('GET', `/api/admin/products/${m.productId}`)).body.skus[0].id}&qty=1`);
    await addFirstAddress(page, '100.00');
    const toggle = page.locator('[data-testid=points-toggle]');
    await toggle.waitFor({ timeout: 15_000 });
    expect(await toggle.getAttribute('data-on')).toBe('no');
    const previewed = page.waitForResponse((r) => r.url().endsWith('/api/checkout/preview'));
    await page.check('[data-testid=points-toggle-input]');
    expect(JSON.parse((await previewed).request().postData() ?? '{}').choices).toEqual({ points: { usePoints: 'max' } });
    await expect.poll(() => page.textContent('[data-testid=checkout-bar-total]'), { timeout: 15_000 }).toContain('90.00');
    expect(await page.getAttribute('[data-testid=totals-points]', 'data-points')).toBe('1000');
    expect(await toggle.getAttribute('data-on')).toBe('yes');
    await shot(page, 'points-checkout');
    const submitted = page.waitForResponse((r) => r.url().endsWith('/api/checkout/submit'));
    await page.click('[data-testid=checkout-submit]');
    const submit = await submitted;
    expect(submit.status()).toBe(201);
    expect(JSON.parse(submit.request().postData() ?? '{}')).toMatchObject({ expectedPayTotal: 9000, choices: { points: { usePoints: 'max' } } });
    expect((await submit.json()).order.payTotal).toBe(9000);
  });
});
