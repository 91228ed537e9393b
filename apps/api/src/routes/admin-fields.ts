import * as v from 'valibot';

/** Field schemas shared by the admin routes. */
export const Name = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(40));
export const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
