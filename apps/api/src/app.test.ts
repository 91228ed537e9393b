import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './testing/test-app';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

describe('signup to admin home', () => {
  it('creates a shop whose owner can log in to its admin by ticket', async () => {
    const s = await t.signupShop('alpha');
    expect(s.shop).toMatchObject({ slug: 'alpha', status: 'active', plan: 'free' });
    const ticket = new URL(s.adminUrl).searchParams.get('ticket');
    const login = await t.request('alpha.localhost', '/api/admin/auth/ticket', { body: { ticket } });
    expect(login.status).toBe(200);
    const me = await t.request('alpha.localhost', '/api/admin/me');
    expect(me.status).toBe(200);
    expect(me.body.shop.name).toBe('Shop alpha');
    expect(me.body.staff.permissions).toContain('audit.view');
  });
});
