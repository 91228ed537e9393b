/**
 * How a client addresses one database ("namespace") of the server. Kept free of Node imports so a
 * Worker build can use it too.
 *
 * The namespace is a path prefix: `http://127.0.0.1:8081/ns/shop-1/`. The trailing slash is
 * required: @libsql/client resolves its endpoints relative to the URL (`new URL('v2/pipeline',
 * base)`), which drops a last path segment that has no slash after it. sqld's own convention, the
 * host's first label (`shop-1.localhost`), needs DNS for `*.localhost`, which neither Node's fetch
 * nor workerd resolve, so it is not used.
 */

export const NAMESPACE_PATTERN = /^[a-z0-9_-]{1,64}$/;

/** The namespace served at the root URL, as in sqld. */
export const DEFAULT_NAMESPACE = 'default';

export const isValidNamespace = (name: string): boolean => NAMESPACE_PATTERN.test(name);

export function namespaceUrl(baseUrl: string, name: string): string {
  if (!isValidNamespace(name)) throw new Error(`invalid namespace name ${JSON.stringify(name)}: expected ${NAMESPACE_PATTERN}`);
  return `${baseUrl.replace(/\/+$/, '')}/ns/${name}/`;
}
