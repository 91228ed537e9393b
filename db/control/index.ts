import * as schema from './schema';
export { migrations } from './migrations.generated';
export { schema };
export * from './schema';
