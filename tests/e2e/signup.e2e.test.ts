import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { screenshotDir } from './harness';
import { useServerAndBrowser } from './use-server';

const env = useServerAndBrowser();

describe('a merchant with nothing but a browser', () => {
  it('signs up, lands in the new shop admin on its own host, and sees the signup in the audit log', async () => {
    const page = await env.browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${env.server.base}/platform/signup`);
    await page.fill('input[name=email]', 'merchant@example.com');
    await page.fill('input[name=password]', 'secret-pass-42');
    await page.fill('input[name=shopName]', '小王的店');
    await page.fill('input[name=slug]', 'xiaowang');
    await page.click('[data-testid=signup-submit]');
    await page.waitForURL(`http://xiaowang.localhost:${env.server.port}/admin**`, { timeout: 30_000 });
    await expect.poll(() => page.textContent('[data-testid=admin-shop-name]'), { timeout: 15_000 }).toContain('小王的店');
    expect(await page.textContent('[data-testid=admin-staff-name]')).toContain('merchant');
    await expect.poll(() => page.locator('[data-testid=audit-row]').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=audit-row]').first().textContent()).toContain('merchant');
    await page.screenshot({ path: join(screenshotDir, 'signup-admin-home.png'), fullPage: true });

    // The staff cookie is the shop's own: host-only, HttpOnly, Secure, SameSite=Lax.
    const cookies = await page.context().cookies(`http://xiaowang.localhost:${env.server.port}`);
    const staffCookie = cookies.find((c) => c.name === 'tk_staff');
    expect(staffCookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', domain: 'xiaowang.localhost' });
    await page.close();
  });

  it('shows a clear error for a taken slug without leaving the form', async () => {
    const page = await env.browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${env.server.base}/platform/signup`);
    await page.fill('input[name=email]', 'second@example.com');
    await page.fill('input[name=password]', 'secret-pass-42');
    await page.fill('input[name=shopName]', 'Copycat');
    await page.fill('input[name=slug]', 'xiaowang');
    await page.click('[data-testid=signup-submit]');
    await expect.poll(() => page.textContent('body'), { timeout: 15_000 }).toContain('该店铺地址已被占用');
    expect(new URL(page.url()).pathname).toBe('/platform/signup');
    await page.close();
  });

  it('lets a buyer register on the storefront under path routing', async () => {
    const page = await env.browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${env.server.base}/s/xiaowang/register`);
    await page.fill('input[name=username]', 'buyer01');
    await page.fill('input[name=password]', 'buyer-pass-42');
    await page.click('[data-testid=register-submit]');
    await page.waitForURL(`${env.server.base}/s/xiaowang/**`, { timeout: 15_000 });
    await expect.poll(() => page.textContent('body'), { timeout: 15_000 }).toContain('buyer01');
    await page.screenshot({ path: join(screenshotDir, 'storefront-member.png'), fullPage: true });
    await page.close();
  });
});
