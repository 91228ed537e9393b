import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { eq } from 'drizzle-orm';
import { settings } from '@tuike/db-tenant';
import type { AppEnv } from '../context';
import { commitAudited } from '../http/audited';
import { json } from '../http/json-body';
import { permit } from '../http/staff-auth';
import { Name } from './admin-fields';

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const Fen = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000_000));
const SettingsPatch = v.strictObject({
  /** Shipping template (C2): a flat fee, or the fee waived from a threshold. */
  shipping: v.optional(v.strictObject({ mode: v.picklist(['flat', 'free_over']), fee: Fen, freeThreshold: Fen })),
  /** Unpaid orders close after this many minutes and release their stock (C3). */
  orderTimeoutMinutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(5), v.maxValue(7 * 24 * 60))),
  shopName: v.optional(Name),
  locale: v.optional(v.picklist(['zh-CN', 'en'])),
  timezone: v.optional(v.pipe(v.string(), v.maxLength(64), v.check(isTimeZone, 'unknown time zone'))),
});

/** Settings as staff see them: secrets masked, never sent back to a browser. */
const readSettings = async (c: Context<AppEnv>) =>
  Object.fromEntries((await c.get('shop').orm.select().from(settings)).map((s) => [s.key, s.key === 'wechat' ? maskWechat(s.value) : s.key === 'payments' ? maskPayments(s.value) : s.value]));

/** Which accounts are set up, never their keys. */
const maskPayments = (value: unknown) => {
  const v = value as { wechat?: { mchId?: string; appId?: string }; alipay?: { appId?: string } };
  return { wechat: v.wechat ? { mchId: v.wechat.mchId, appId: v.wechat.appId, configured: true } : null, alipay: v.alipay ? { appId: v.alipay.appId, configured: true } : null };
};

const Pem = v.pipe(v.string(), v.trim(), v.maxLength(8000), v.regex(/^(-----BEGIN [A-Z ]+-----[\s\S]+-----END [A-Z ]+-----|[A-Za-z0-9+/=\s]+)$/));
const PaymentsInput = v.strictObject({
  wechat: v.optional(v.nullable(v.strictObject({
    mchId: v.pipe(v.string(), v.regex(/^\d{8,12}$/)), appId: v.pipe(v.string(), v.regex(/^wx[0-9a-f]{16}$/)),
    serialNo: v.pipe(v.string(), v.regex(/^[0-9A-Fa-f]{16,64}$/)), privateKeyPem: Pem, apiV3Key: v.pipe(v.string(), v.length(32)),
    platformPublicKeys: v.record(v.pipe(v.string(), v.maxLength(80)), Pem),
  }))),
  alipay: v.optional(v.nullable(v.strictObject({ appId: v.pipe(v.string(), v.regex(/^\d{16}$/)), privateKeyPem: Pem, alipayPublicKeyPem: Pem }))),
});

const maskWechat = (value: unknown) => {
  const v = value as { appId?: string; appSecret?: string };
  return { appId: v.appId ?? '', appSecret: v.appSecret ? '••••••' : '' };
};

const WechatInput = v.strictObject({
  appId: v.pipe(v.string(), v.trim(), v.regex(/^wx[0-9a-f]{16}$/, 'a WeChat AppID: wx + 16 hex')),
  appSecret: v.pipe(v.string(), v.trim(), v.regex(/^[0-9a-f]{32}$/, 'a WeChat AppSecret: 32 hex')),
});

/** Shop settings: name, language, time zone. */
export const adminSettingsRoutes = new Hono<AppEnv>()
  .get('/settings', permit('settings.view'), async (c) => c.json({ settings: await readSettings(c) }))
  .patch('/settings', permit('settings.manage'), json(SettingsPatch), async (c) => {
    const patch = c.req.valid('json');
    const before = await readSettings(c);
    const now = c.get('services').platform.clock.now();
    const { orm } = c.get('shop');
    const changes = Object.entries(patch).filter(([, value]) => value !== undefined)
      .map(([key, value]) => orm.insert(settings).values({ key, value, updatedAt: now }).onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } }));
    if (changes.length === 0) return c.json({ settings: before });
    await commitAudited(c, changes, { entity: 'settings', entityId: 'shop', action: 'update', before, after: { ...before, ...patch } });
    return c.json({ settings: await readSettings(c) });
  })
  .put('/settings/wechat', permit('settings.manage'), json(WechatInput), async (c) => {
    const input = c.req.valid('json');
    const { orm } = c.get('shop');
    const now = c.get('services').platform.clock.now();
    const before = (await readSettings(c)).wechat ?? null;
    await commitAudited(c, [orm.insert(settings).values({ key: 'wechat', value: input, updatedAt: now }).onConflictDoUpdate({ target: settings.key, set: { value: input, updatedAt: now } })],
      { entity: 'settings', entityId: 'wechat', action: 'update', before, after: maskWechat(input) });
    return c.json({ wechat: maskWechat(input) });
  })
  .put('/settings/payments', permit('settings.manage'), json(PaymentsInput), async (c) => {
    const input = c.req.valid('json');
    const { orm } = c.get('shop');
    const now = c.get('services').platform.clock.now();
    const [current] = await orm.select().from(settings).where(eq(settings.key, 'payments'));
    const value = { ...((current?.value ?? {}) as object), ...input };
    await commitAudited(c, [orm.insert(settings).values({ key: 'payments', value, updatedAt: now }).onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } })],
      { entity: 'settings', entityId: 'payments', action: 'update', before: current ? maskPayments(current.value) : null, after: maskPayments(value) });
    return c.json({ payments: maskPayments(value) });
  });
