import { Hono } from 'hono';
import * as v from 'valibot';
import { listAudit, permissionCatalog } from '@tuike/staff';
import type { AppEnv } from '../context';
import { query } from '../http/json-body';
import { permit } from '../http/staff-auth';
import { Id } from './admin-fields';
import { adminRolesRoutes } from './admin-roles';
import { adminSettingsRoutes } from './admin-settings';
import { adminStaffRoutes } from './admin-staff';

const Millis = v.pipe(v.string(), v.regex(/^\d{1,15}$/), v.transform(Number));
const AuditQuery = v.object({
  entity: v.optional(v.pipe(v.string(), v.maxLength(40))),
  action: v.optional(v.pipe(v.string(), v.maxLength(40))),
  staffId: v.optional(Id),
  from: v.optional(Millis),
  to: v.optional(Millis),
  cursor: v.optional(Id),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/), v.transform(Number), v.minValue(1), v.maxValue(100)), '50'),
});

/** The shop admin API (F1, F2). Every route declares its permission with permit(). */
export const adminRoutes = new Hono<AppEnv>()
  .get('/me', permit('self'), async (c) => {
    const { tenant } = c.get('shop');
    return c.json({ staff: c.get('staff'), shop: { slug: tenant.slug, name: tenant.name, plan: tenant.planId, status: tenant.status } });
  })
  .get('/permissions', permit('roles.view'), (c) => c.json({ permissions: Object.entries(permissionCatalog).map(([key, label]) => ({ key, ...label })) }))
  .get('/audit', permit('audit.view'), query(AuditQuery), async (c) => {
    const q = c.req.valid('query');
    return c.json(await listAudit(c.get('shop').orm, { ...q, limit: Number(q.limit) }));
  })
  .route('/', adminSettingsRoutes)
  .route('/', adminRolesRoutes)
  .route('/', adminStaffRoutes);
