/**
 * drizzle wraps driver errors (DrizzleQueryError with the LibsqlError as `cause`), the HTTP client
 * reports them in its own shape: look through the cause chain for the SQLite message.
 */
function messages(e: unknown): string[] {
  const out: string[] = [];
  for (let cur = e, depth = 0; cur instanceof Error && depth < 5; cur = cur.cause, depth++) out.push(cur.message);
  return out;
}

/** True when `e` is a UNIQUE violation on `table.column` (e.g. 'members.username'). */
export const isUniqueViolation = (e: unknown, column: string): boolean =>
  messages(e).some((m) => m.includes('UNIQUE constraint failed') && m.includes(column));

/** True when `e` is a CHECK violation whose constraint text mentions `needle`. */
export const isCheckViolation = (e: unknown, needle: string): boolean =>
  messages(e).some((m) => m.includes('CHECK constraint failed') && m.includes(needle));
