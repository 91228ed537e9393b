export { createHttpDatabases, type DatabaseProvisioner, type HttpDatabasesOptions } from './http-databases';
export { migrate, currentVersion, latestVersion, createMigrationGate, type Migration } from './migrator';
export { withWriteQueue, type QueuedClient } from './write-queue';
export { HandleLru } from './lru';
export { assertDatabaseName, shopDatabaseName } from './database-name';
export { createIntervalScheduler } from './interval-scheduler';
export { tursoProvisioner, sqldAdminProvisioner } from './provisioners';
export { createTursoPlatformClient, TursoApiError, type TursoPlatformClient } from './turso-platform';
