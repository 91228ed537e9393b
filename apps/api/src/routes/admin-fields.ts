import * as v from 'valibot';

/** Field schemas shared by the routes. */
export const Name = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(40));
export const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
export const Email = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.maxLength(254), v.email());
/** Strength is checked by the service (WEAK_PASSWORD); here only a bound on hashing cost. */
export const Password = v.pipe(v.string(), v.maxLength(128));
