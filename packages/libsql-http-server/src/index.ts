/**
 * A local libSQL server speaking Hrana over HTTP (what @libsql/client uses for `http:` URLs) over
 * SQLite files, one file per namespace, so dev runs and tests reach per-shop databases over HTTP
 * the way production reaches Turso or sqld.
 */
export { startLibsqlHttpServer, type LibsqlHttpServer, type LibsqlHttpServerOptions } from './http-server';
export { namespaceUrl, isValidNamespace, DEFAULT_NAMESPACE, NAMESPACE_PATTERN } from './namespace-url';
