import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { addFirstAddress, merchantShop, OWNER_PASSWORD } from './steps';
import { screenshotDir } from './harness';
import { useServerAndBrowser } from './use-server';

const env = useServerAndBrowser();
const DAY = 86_400_000;
const shot = (page: Page, name: string) => page.screenshot({ path: join(screenshotDir, `distribution-${name}.png`), fullPage: true });

/** A phone of its own (its own cookies), in Chinese. */
async function phone() {
  const page = await env.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  page.on('dialog', (d) => void d.accept());
  return page;
}

/** Registration on the shop's page; the invite code field is filled from the link the visitor came by. */
async function register(page: Page, shop: string, username: string, expectedRef?: string) {
  await page.goto(`${shop}/register`);
  if (expectedRef) await expect.poll(() => page.inputValue('[data-testid=register-ref]'), { timeout: 15_000 }).toBe(expectedRef);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', 'member-pass-42');
  const registered = page.waitForResponse((r) => r.url().endsWith('/api/member/register'));
  await page.click('[data-testid=register-submit]');
  expect((await registered).status()).toBe(201);
}

/** Opens a distributor's shop link as a guest: the visit is remembered until registration. */
async function openShopLink(page: Page, shop: string, code: string) {
  const visited = page.waitForResponse((r) => r.url().endsWith('/api/distribution/visit'));
  await page.goto(`${shop}/d/${code}`);
  expect((await visited).status()).toBe(200);
  await page.waitForSelector('[data-testid=distributor-shop]', { timeout: 15_000 });
  // A guest's code is kept by the browser until they register.
  await page.waitForFunction((expected) => localStorage.getItem('tk_ref') === expected, code, { timeout: 15_000 });
}

async function apply(page: Page, shop: string, shopName: string) {
  await page.goto(`${shop}/distribution`);
  await page.waitForSelector('[data-testid=apply-form]', { timeout: 15_000 });
  await page.fill('[data-testid=apply-shop-name]', shopName);
  await page.click('[data-testid=apply-submit]');
  await page.waitForSelector('[data-testid=application-pending]', { timeout: 15_000 });
}

/** Staff approve an application on the admin's distributor page. */
async function approve(staff: Page, shop: string, shopName: string) {
  await staff.goto(`${shop}/admin/distribution`);
  const row = staff.locator('[data-testid=distributor-row]', { hasText: shopName });
  await row.locator('[data-testid=distributor-approve]').click();
  await expect.poll(() => row.getAttribute('data-status'), { timeout: 15_000 }).toBe('active');
}

/** The distributor's centre after approval: its invite code. */
async function centreCode(page: Page, shop: string) {
  await page.goto(`${shop}/distribution`);
  await page.waitForSelector('[data-testid=distributor-centre]', { timeout: 15_000 });
  return (await page.getAttribute('[data-testid=distributor-centre]', 'data-code'))!;
}

/** A wallet bucket (fen) as the distributor centre shows it. */
async function walletFen(page: Page, shop: string, bucket: string) {
  await page.goto(`${shop}/distribution`);
  await page.waitForSelector('[data-testid=wallet]', { timeout: 15_000 });
  const cell = page.locator(`[data-testid=wallet-${bucket}]`);
  return (await cell.count()) === 0 ? 0 : Number(await cell.getAttribute('data-fen'));
}

describe('three-level distribution on phones, run by staff in the admin (D1–D12)', () => {
  it('A recruits B, B recruits C, a buyer buys through C → 10/5/2% commission → completes, freezes, settles → C withdraws, staff pay → a later partial refund reverses commission and leaves C a debt', async () => {
    const m = await merchantShop(env.server.base, 'fenxiao', { title: '明前龙井', skus: [{ price: 20000, stock: 100 }] });
    const { shop } = m;

    // Staff sign in and check the programme: three levels at 10% / 5% / 2%, seven days of freeze, offline payouts.
    const staff = await phone();
    await staff.goto(`${shop}/admin/login`);
    await staff.fill('input[name=email]', m.email);
    await staff.fill('input[name=password]', OWNER_PASSWORD);
    await staff.click('[data-testid=admin-login-submit]');
    await staff.waitForSelector('[data-testid=admin-shop-name]', { timeout: 15_000 });
    await staff.click('[data-testid=nav-distribution]');
    await staff.waitForSelector('[data-testid=distribution-tabs]', { timeout: 15_000 });
    await staff.goto(`${shop}/admin/distribution/settings`);
    await staff.waitForSelector('[data-testid=dist-settings-form]', { timeout: 15_000 });
    // A rate sum over the cap is refused, and said so, before anything is saved.
    await staff.fill('[data-testid=dist-cap]', '15');
    await staff.click('[data-testid=dist-settings-save]');
    await expect.poll(() => staff.textContent('[data-testid=dist-rate-error]'), { timeout: 10_000 }).toContain('15%');
    await staff.fill('[data-testid=dist-cap]', '30');
    for (const [level, rate] of [[1, '10'], [2, '5'], [3, '2']] as const) await staff.fill(`[data-testid=dist-rate-${level}]`, rate);
    await staff.fill('[data-testid=dist-freeze-days]', '7');
    await staff.fill('[data-testid=dist-rules-text]', '诚信分享，不夸大收益。佣金来自真实商品销售。');
    if (!(await staff.isChecked('[data-testid=dist-method-offline]'))) await staff.check('[data-testid=dist-method-offline]');
    await staff.click('[data-testid=dist-settings-save]');
    await staff.waitForSelector('[data-testid=dist-settings-saved]', { timeout: 15_000 });
    await shot(staff, 'admin-settings');

    // A joins: the programme with its rules (no fee), the application, staff approval.
    const a = await phone();
    await register(a, shop, 'alice');
    await a.goto(`${shop}/me`);
    await a.click('[data-testid=me-distribution]');
    await a.waitForSelector('[data-testid=program]', { timeout: 15_000 });
    expect(await a.textContent('[data-testid=program-no-fee]')).toContain('免费');
    expect(await a.textContent('[data-testid=program-rate-1]')).toBe('10%');
    await shot(a, 'program');
    await apply(a, shop, '阿丽茶铺');
    await staff.goto(`${shop}/admin/distribution`);
    await staff.waitForSelector('[data-testid=distributor-row][data-status=pending]', { timeout: 15_000 });
    await shot(staff, 'admin-applications');
    await approve(staff, shop, '阿丽茶铺');
    const codeA = await centreCode(a, shop);
    expect(await a.inputValue('[data-testid=centre-link]')).toContain(`/d/${codeA}`);
    await shot(a, 'centre-a');

    // B arrives through A's link as a guest, registers (bound to A) and joins.
    const b = await phone();
    await openShopLink(b, shop, codeA);
    await shot(b, 'shop-of-a');
    await register(b, shop, 'bob', codeA);
    await b.goto(`${shop}/distribution`);
    await expect.poll(() => b.textContent('[data-testid=bound-to]'), { timeout: 15_000 }).toContain('阿丽茶铺');
    await apply(b, shop, '小波好茶');
    await approve(staff, shop, '小波好茶');
    const codeB = await centreCode(b, shop);

    // C arrives through B's link and joins.
    const c = await phone();
    await openShopLink(c, shop, codeB);
    await register(c, shop, 'carol', codeB);
    await apply(c, shop, '卡萝茶坊');
    await approve(staff, shop, '卡萝茶坊');
    const codeC = await centreCode(c, shop);

    // A's team: B at level 1, C at level 2; the admin shows C's upline.
    await a.goto(`${shop}/distribution/team`);
    await expect.poll(() => a.textContent('[data-testid=team]'), { timeout: 15_000 }).toContain('小波好茶');
    await a.click('[data-testid=team-tab-2]');
    await expect.poll(() => a.textContent('[data-testid=team]'), { timeout: 15_000 }).toContain('卡萝茶坊');
    await shot(a, 'team-a');

    // A buyer comes through C's link, registers, and buys one ¥200 tin from C's shop.
    const buyer = await phone();
    await openShopLink(buyer, shop, codeC);
    await register(buyer, shop, 'tealover', codeC);
    await buyer.goto(`${shop}/d/${codeC}`);
    await buyer.locator('[data-testid=product-card]').first().click();
    await buyer.waitForURL(`**/product/${m.productId}?ref=${codeC}`, { timeout: 15_000 });
    await expect.poll(() => buyer.isEnabled('[data-testid=buy-now]'), { timeout: 15_000 }).toBe(true);
    await buyer.click('[data-testid=buy-now]');
    await addFirstAddress(buyer, '200.00');
    await buyer.click('[data-testid=checkout-submit]');
    await buyer.waitForURL(`${shop}/pay/**`, { timeout: 15_000 });
    await buyer.click('[data-testid=pay-success]');
    await buyer.waitForURL(`${shop}/orders/**`, { timeout: 15_000 });
    await expect.poll(() => buyer.textContent('[data-testid=order-status]'), { timeout: 15_000 }).toMatch(/待发货/);
    const orderUrl = buyer.url();
    const orderId = new URL(orderUrl).pathname.split('/').pop()!;

    // Commission at the configured rates, pending in each centre: C 10%, B 5%, A 2% of ¥200.
    expect(await walletFen(c, shop, 'pending')).toBe(2000);
    await shot(c, 'centre-c-pending');
    expect(await walletFen(b, shop, 'pending')).toBe(1000);
    expect(await walletFen(a, shop, 'pending')).toBe(400);
    await shot(a, 'centre-a-pending');
    await c.goto(`${shop}/distribution/commissions`);
    await c.waitForSelector('[data-testid=commission]', { timeout: 15_000 });
    expect(await c.getAttribute('[data-testid=commission]', 'data-level')).toBe('1');
    expect(await c.textContent('[data-testid=commission-amount]')).toBe('¥20.00');
    await a.goto(`${shop}/distribution/commissions`);
    await a.waitForSelector('[data-testid=commission]', { timeout: 15_000 });
    expect(await a.getAttribute('[data-testid=commission]', 'data-level')).toBe('3');
    expect(await a.textContent('[data-testid=commission-amount]')).toBe('¥4.00');
    await c.goto(`${shop}/distribution/orders`);
    await expect.poll(() => c.textContent('[data-testid=shop-order-commission]'), { timeout: 15_000 }).toBe('¥20.00');
    await shot(c, 'shop-orders-c');
    await c.goto(`${shop}/distribution/leaderboard`);
    await expect.poll(() => c.textContent('[data-testid=board-shop]'), { timeout: 15_000 }).toBe('卡萝茶坊');
    await shot(c, 'leaderboard');
    await staff.goto(`${shop}/admin/distribution/commissions`);
    await expect.poll(() => staff.locator('[data-testid=admin-commission]').count(), { timeout: 15_000 }).toBe(3);
    await shot(staff, 'admin-commissions');

    // C shares: QR code, card, a product poster rendered to PNG in the browser.
    await c.goto(`${shop}/distribution/share`);
    await c.waitForSelector('[data-testid=poster-save]', { timeout: 15_000 });
    await c.click('[data-testid=poster-save]');
    await c.waitForSelector('[data-testid=poster-png]', { timeout: 15_000 });
    await shot(c, 'share-kit');

    // Staff ship; the buyer confirms receipt and asks for ¥50 back, which the shop reviews later.
    await staff.goto(`${shop}/admin/orders/${orderId}`);
    await staff.fill('[data-testid=ship-carrier]', '顺丰');
    await staff.fill('[data-testid=ship-tracking]', 'SF1234567890');
    await staff.click('[data-testid=ship-submit]');
    await expect.poll(() => staff.getAttribute('[data-testid=order-detail]', 'data-status'), { timeout: 15_000 }).toBe('shipped');
    await buyer.goto(orderUrl);
    await buyer.click('[data-testid=order-receive]');
    await expect.poll(() => buyer.textContent('[data-testid=order-status]'), { timeout: 15_000 }).toMatch(/已收货/);
    await buyer.click('[data-testid=after-sale-start]');
    await buyer.waitForURL('**/after-sale', { timeout: 15_000 });
    await buyer.locator('[data-testid=after-sale-line-0]').check();
    await buyer.fill('[data-testid=after-sale-amount-0]', '50');
    await buyer.fill('[data-testid=after-sale-reason]', '茶罐有凹痕，部分退款');
    await buyer.click('[data-testid=after-sale-submit]');
    await expect.poll(() => buyer.textContent('body'), { timeout: 15_000 }).toContain('50.00');

    // Eight days on, the after-sales window has passed: the order completes and C's commission freezes.
    env.server.advanceClock(8 * DAY);
    expect(await walletFen(c, shop, 'frozen')).toBe(2000);
    expect(await walletFen(c, shop, 'pending')).toBe(0);
    await shot(c, 'centre-c-frozen');

    // Fifteen more days: the freeze is over and the week closed; staff settle it (or find it settled).
    env.server.advanceClock(15 * DAY);
    await staff.goto(`${shop}/admin/distribution/settlements`);
    await staff.click('[data-testid=settlement-run]');
    await staff.waitForSelector('[data-testid=settlement-result]', { timeout: 15_000 });
    await expect.poll(() => staff.locator('[data-testid=settlement-run-row]').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await shot(staff, 'admin-settlements');
    expect(await walletFen(c, shop, 'available')).toBe(2000);
    expect(await walletFen(b, shop, 'available')).toBe(1000);
    expect(await walletFen(a, shop, 'available')).toBe(400);
    await shot(c, 'centre-c-settled');
    await c.goto(`${shop}/distribution/statements`);
    await expect.poll(() => c.textContent('[data-testid=statement-amount]'), { timeout: 15_000 }).toBe('¥20.00');

    // C withdraws everything, paid offline.
    await c.goto(`${shop}/distribution/withdraw`);
    await c.waitForSelector('[data-testid=withdraw-form]', { timeout: 15_000 });
    await c.click('[data-testid=withdraw-all]');
    await c.check('[data-testid=withdraw-method-offline]');
    await c.fill('[data-testid=withdraw-account-note]', '到店领取');
    await expect.poll(() => c.textContent('[data-testid=withdraw-fee]')).toContain('¥20.00');
    await c.click('[data-testid=withdraw-submit]');
    await c.waitForSelector('[data-testid=withdraw-done]', { timeout: 15_000 });
    await expect.poll(() => c.getAttribute('[data-testid=withdrawal]', 'data-status'), { timeout: 15_000 }).toBe('pending');
    await shot(c, 'withdraw-requested');

    // Staff approve it, pay it, and mark it paid with the transfer's reference.
    await staff.goto(`${shop}/admin/distribution/withdrawals`);
    const request = staff.locator('[data-testid=admin-withdrawal]').first();
    await request.locator('[data-testid=withdrawal-approve]').click();
    await expect.poll(() => request.getAttribute('data-status'), { timeout: 15_000 }).toBe('approved');
    await request.locator('[data-testid=withdrawal-mark-paid]').click();
    await request.locator('[data-testid=withdrawal-note]').fill('CASH-0001');
    await request.locator('[data-testid=withdrawal-confirm]').click();
    await expect.poll(() => request.getAttribute('data-status'), { timeout: 15_000 }).toBe('paid');
    await shot(staff, 'admin-withdrawal-paid');
    await c.goto(`${shop}/distribution/withdraw`);
    await expect.poll(() => c.getAttribute('[data-testid=withdrawal]', 'data-status'), { timeout: 15_000 }).toBe('paid');
    expect(await walletFen(c, shop, 'withdrawn')).toBe(2000);
    expect(await walletFen(c, shop, 'available')).toBe(0);
    await shot(c, 'withdraw-paid');

    // The shop now grants the ¥50 partial refund: a quarter of each commission comes back. C had
    // withdrawn it all, so C owes ¥5.00; B and A lose it from their withdrawable balance.
    await staff.goto(`${shop}/admin/after-sales`);
    await staff.click('[data-testid=after-sale-approve]');
    await expect.poll(() => staff.getAttribute('[data-testid=after-sale-result]', 'data-status'), { timeout: 15_000 }).toBe('refunded');
    expect(await walletFen(c, shop, 'debt')).toBe(500);
    expect(await walletFen(c, shop, 'withdrawn')).toBe(2000);
    await shot(c, 'centre-c-debt');
    expect(await walletFen(b, shop, 'available')).toBe(750);
    expect(await walletFen(b, shop, 'debt')).toBe(0);
    expect(await walletFen(a, shop, 'available')).toBe(300);
    await c.goto(`${shop}/distribution/commissions`);
    await expect.poll(() => c.textContent('[data-testid=commission-reversed]'), { timeout: 15_000 }).toContain('¥5.00');
    await shot(c, 'commissions-reversed');

    // Staff see C with its debt on the distributor page, and pay B and A in one offline batch.
    await staff.goto(`${shop}/admin/distribution`);
    await staff.click('[data-testid=distributors-tab-active]');
    await staff.locator('[data-testid=distributor-row]', { hasText: '卡萝茶坊' }).locator('[data-testid=distributor-link]').click();
    await staff.waitForSelector('[data-testid=distributor-detail]', { timeout: 15_000 });
    expect(await staff.getAttribute('[data-testid=wallet-debt]', 'data-fen')).toBe('500');
    expect(await staff.locator('[data-testid=upline-row]').count()).toBe(2);
    await shot(staff, 'admin-distributor-c');
    await staff.goto(`${shop}/admin/distribution/payouts`);
    await staff.fill('[data-testid=payout-title]', '第一期佣金');
    await staff.selectOption('[data-testid=payout-method]', 'offline');
    await expect.poll(() => staff.locator('[data-testid=payout-period] option').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await staff.click('[data-testid=payout-create]');
    await staff.waitForSelector('[data-testid=payout-batch]', { timeout: 15_000 });
    expect(await staff.textContent('[data-testid=payout-batch-amount]')).toBe('¥10.50');
    await staff.fill('[data-testid=payout-reference]', 'BATCH-0001');
    await staff.click('[data-testid=payout-mark-paid]');
    await expect.poll(() => staff.textContent('[data-testid=payout-mark-result]'), { timeout: 15_000 }).toContain('2');
    await shot(staff, 'admin-payout-batch');
    expect(await walletFen(b, shop, 'withdrawn')).toBe(750);
    expect(await walletFen(a, shop, 'withdrawn')).toBe(300);
  }, 300_000);
});
