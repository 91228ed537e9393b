export * from './permissions';
export * from './audit-log';
export * from './staff-directory';
export type { ShopOrm } from './shop-orm';
export * from './grants';
