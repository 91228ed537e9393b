/**
 * The permission catalog: one permission per admin page or action (页面级权限). Every admin route
 * declares one of these; a test fails if a route declares none.
 */
export const permissionCatalog = {
  'dashboard.view': { zh: '后台首页', en: 'Admin home' },
  'audit.view': { zh: '查看操作日志', en: 'View audit log' },
  'staff.view': { zh: '查看员工', en: 'View staff' },
  'staff.manage': { zh: '管理员工', en: 'Manage staff' },
  'roles.view': { zh: '查看角色', en: 'View roles' },
  'roles.manage': { zh: '管理角色与权限', en: 'Manage roles and permissions' },
  'settings.view': { zh: '查看店铺设置', en: 'View shop settings' },
  'settings.manage': { zh: '修改店铺设置', en: 'Change shop settings' },
  'products.view': { zh: '查看商品', en: 'View products' },
  'products.manage': { zh: '管理商品', en: 'Manage products' },
  'orders.view': { zh: '查看订单', en: 'View orders' },
  'orders.manage': { zh: '处理订单与发货', en: 'Process and ship orders' },
  'orders.export': { zh: '导出订单', en: 'Export orders' },
  'aftersales.manage': { zh: '处理售后', en: 'Handle after-sales' },
  'members.view': { zh: '查看会员', en: 'View members' },
  'members.manage': { zh: '管理会员', en: 'Manage members' },
  'distributors.view': { zh: '查看分销商', en: 'View distributors' },
  'distributors.manage': { zh: '管理分销商与分销设置', en: 'Manage distributors and settings' },
  'commissions.view': { zh: '查看佣金', en: 'View commissions' },
  'withdrawals.review': { zh: '审核提现', en: 'Review withdrawals' },
  'payouts.manage': { zh: '佣金批量发放', en: 'Batch commission payouts' },
  'marketing.view': { zh: '查看营销活动', en: 'View marketing' },
  'marketing.manage': { zh: '管理营销活动', en: 'Manage marketing' },
  'plugins.manage': { zh: '插件市场与插件配置', en: 'Plugin marketplace and settings' },
  'reports.view': { zh: '数据报表', en: 'Reports' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type Permission = keyof typeof permissionCatalog;
export const allPermissions = Object.keys(permissionCatalog) as Permission[];
export const isPermission = (p: string): p is Permission => Object.hasOwn(permissionCatalog, p);

/** Grants every permission, including ones added to the catalog later. */
export const ALL = '*';

export const builtinRoles = {
  super_admin: { zh: '超级管理员', en: 'Super admin', permissions: [ALL] },
  operations: {
    zh: '运营', en: 'Operations',
    permissions: ['dashboard.view', 'products.view', 'products.manage', 'orders.view', 'orders.manage', 'orders.export',
      'aftersales.manage', 'members.view', 'marketing.view', 'marketing.manage', 'distributors.view', 'reports.view'],
  },
  finance: {
    zh: '财务', en: 'Finance',
    permissions: ['dashboard.view', 'orders.view', 'orders.export', 'commissions.view', 'withdrawals.review',
      'payouts.manage', 'reports.view', 'audit.view'],
  },
  customer_service: {
    zh: '客服', en: 'Customer service',
    permissions: ['dashboard.view', 'orders.view', 'aftersales.manage', 'members.view', 'products.view'],
  },
} as const satisfies Record<string, { zh: string; en: string; permissions: readonly string[] }>;

export type BuiltinRole = keyof typeof builtinRoles;

/** Expands role grants into concrete permissions; '*' means the whole catalog. */
export function effectivePermissions(grants: Iterable<string>): Permission[] {
  const set = new Set<Permission>();
  for (const g of grants) {
    if (g === ALL) return [...allPermissions];
    if (isPermission(g)) set.add(g);
  }
  return allPermissions.filter((p) => set.has(p));
}
