// Seeds the demo shop on first start and remembers its owner password in ./data, so a second
// `npm start` keeps the data and prints the same credentials.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { createPasswordHasher, generateSessionToken } from '@tuike/core';
import { tenants } from '@tuike/db-control';
import { openControlPlane, signup } from '@tuike/tenancy';
import { createApp, defaultConfig } from '@tuike/api';
import { seedDemoCatalog } from './demo-catalog';
import { createNodePlatform } from '@tuike/api/node';

const dataDir = process.env.TUIKE_DATA_DIR ?? join(process.cwd(), 'data');
mkdirSync(dataDir, { recursive: true });
const credentialsFile = join(dataDir, 'demo-owner.json');

const platform = createNodePlatform({ dataDir, timers: false });
const control = await openControlPlane(platform);
const [demo] = await control.orm.select().from(tenants).where(eq(tenants.slug, 'demo'));
let credentials: { email: string; password: string };
if (demo?.status === 'active' && existsSync(credentialsFile)) {
  credentials = JSON.parse(readFileSync(credentialsFile, 'utf8'));
} else {
  credentials = existsSync(credentialsFile)
    ? JSON.parse(readFileSync(credentialsFile, 'utf8'))
    : { email: 'owner@demo.tuike.local', password: `demo-${generateSessionToken().slice(0, 10)}7` };
  writeFileSync(credentialsFile, JSON.stringify(credentials, null, 2));
  const pepper = process.env.PASSWORD_PEPPER ?? defaultConfig().passwordPepper;
  await signup(platform, control, { ...credentials, shopName: '推客演示店 Demo Shop', slug: 'demo' }, { hasher: createPasswordHasher(pepper) });
}
// A fresh demo shop gets a small catalog; a shop the merchant already changed is left alone.
const [shop] = await control.orm.select().from(tenants).where(eq(tenants.slug, 'demo'));
const db = await platform.databases.shop({ name: shop!.dbName });
const productCount = Number((await db.execute('SELECT count(*) AS n FROM products')).rows[0]?.n ?? 0);
if (productCount === 0) {
  const app = await createApp(platform, { passwordPepper: process.env.PASSWORD_PEPPER ?? defaultConfig().passwordPepper });
  await seedDemoCatalog(app, credentials);
}
await platform.databases.close();
console.log(JSON.stringify(credentials));
