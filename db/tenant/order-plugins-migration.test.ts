import { createClient } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '@tuike/db-runtime';
import { migrations } from './migrations.generated';

/** 0012: orders placed before it get `plugins` from the installs that existed when each was placed. */
let client: ReturnType<typeof createClient>;
beforeEach(() => { client = createClient({ url: ':memory:' }); });
afterEach(() => client.close());

describe('migration 0012_order_plugins', () => {
  it('backfills each earlier order with the plugins installed when it was placed, and leaves NULL where none were', async () => {
    const upTo = migrations.findIndex((m) => m.name === '0012_order_plugins');
    expect(upTo).toBeGreaterThan(0);
    await migrate(client, migrations.slice(0, upTo));
    await client.execute(`INSERT INTO members (id, username, nickname, channel, created_at, updated_at) VALUES ('m', 'u', 'n', 'h5', 0, 0)`);
    const order = (id: string, at: number) => client.execute({
      sql: `INSERT INTO orders (id, order_no, member_id, client_key, status, channel, items_total, shipping_fee, pay_total, address, expires_at, created_at, updated_at)
            VALUES (?, ?, 'm', ?, 'paid', 'h5', 100, 0, 100, '{}', 0, ?, ?)`,
      args: [id, `no-${id}`, `key-${id}`, at, at],
    });
    await order('before', 100);
    await client.execute(`INSERT INTO plugin_installs (plugin_id, version, source, enabled, critical, position, settings, failures, installed_at, updated_at)
      VALUES ('coupons', '1.0.0', 'first_party', 1, 0, 0, '{}', 0, 200, 200), ('points', '1.0.0', 'first_party', 1, 0, 1, '{}', 0, 300, 300)`);
    await order('between', 250);
    await order('after', 400);
    await migrate(client, migrations.slice(0, upTo + 1));
    const rows = (await client.execute('SELECT id, plugins FROM orders ORDER BY created_at')).rows.map((r) => [r.id, r.plugins === null ? null : JSON.parse(String(r.plugins))]);
    expect(rows).toEqual([['before', null], ['between', ['coupons']], ['after', ['coupons', 'points']]]);
  });
});
