import * as schema from './schema';
export { migrations } from './migrations.generated';
export { schema };
export * from './schema';
export { shopEvent, shopEventSql, whilePluginsEnabled, type ShopEventType } from './plugin-events';
