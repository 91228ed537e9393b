import * as v from 'valibot';

/** Every text a merchant or buyer reads comes in both languages. */
export interface Localized {
  zh: string;
  en: string;
}

/**
 * How the admin renders one settings field. Money is integer fen and rates are basis points, as
 * everywhere in Tuike; the form shows yuan and percent and stores these units.
 */
export type SettingsFieldForm =
  | { type: 'string'; label: Localized; help?: Localized; required: boolean; default?: string; minLength: number; maxLength: number }
  | { type: 'number'; label: Localized; help?: Localized; required: boolean; default?: number; min?: number; max?: number; integer: boolean }
  | { type: 'boolean'; label: Localized; help?: Localized; required: boolean; default?: boolean }
  | { type: 'enum'; label: Localized; help?: Localized; required: boolean; default?: string; options: readonly { value: string; label: Localized }[] }
  | { type: 'money-fen'; label: Localized; help?: Localized; required: boolean; default?: number; min: number; max?: number }
  | { type: 'percent-bps'; label: Localized; help?: Localized; required: boolean; default?: number; min: number; max: number };

export type SettingsFormField = SettingsFieldForm & { key: string };

/** One field: its valibot schema and its form description, made together so they cannot drift. */
export interface SettingsField<T> {
  readonly schema: v.GenericSchema<unknown, T>;
  readonly form: SettingsFieldForm;
}

export interface SettingsSpec<S> {
  /** Parses stored settings: fills defaults, drops keys an older version had. */
  readonly schema: v.GenericSchema<unknown, S>;
  readonly form: readonly SettingsFormField[];
}

interface Common<T> {
  label: Localized;
  help?: Localized;
  /** Without a default the merchant must fill the field before the plugin can be enabled. */
  default?: T;
}

class SettingsFieldError extends Error {
  constructor(message: string) {
    super(`settings field: ${message}`);
    this.name = 'SettingsFieldError';
  }
}

function withDefault<T>(inner: v.GenericSchema<unknown, T>, fallback: T | undefined): v.GenericSchema<unknown, T> {
  if (fallback === undefined) return inner;
  if (!v.is(inner, fallback)) throw new SettingsFieldError(`default ${JSON.stringify(fallback)} does not satisfy its own field`);
  return v.optional(inner, fallback) as v.GenericSchema<unknown, T>;
}

function bounds(min: number | undefined, max: number | undefined) {
  for (const n of [min, max]) if (n !== undefined && !Number.isFinite(n)) throw new SettingsFieldError('min and max must be finite numbers');
  if (min !== undefined && max !== undefined && min > max) throw new SettingsFieldError(`min ${min} is above max ${max}`);
}

function intRange(min: number, max: number | undefined): v.GenericSchema<unknown, number> {
  bounds(min, max);
  return max === undefined
    ? v.pipe(v.number(), v.safeInteger(), v.minValue(min))
    : v.pipe(v.number(), v.safeInteger(), v.minValue(min), v.maxValue(max));
}

const opt = <K extends string, T>(key: K, value: T | undefined) => (value === undefined ? {} : ({ [key]: value } as { [P in K]: T }));

export const field = {
  string(o: Common<string> & { minLength?: number; maxLength?: number }): SettingsField<string> {
    const minLength = o.minLength ?? 0;
    const maxLength = o.maxLength ?? 500;
    bounds(minLength, maxLength);
    const inner = v.pipe(v.string(), v.minLength(minLength), v.maxLength(maxLength));
    return { schema: withDefault(inner, o.default), form: { type: 'string', label: o.label, ...opt('help', o.help), required: o.default === undefined, ...opt('default', o.default), minLength, maxLength } };
  },

  number(o: Common<number> & { min?: number; max?: number; integer?: boolean }): SettingsField<number> {
    bounds(o.min, o.max);
    const integer = o.integer ?? false;
    const { min, max } = o;
    const within = `must be ${integer ? 'a whole number' : 'a number'}${min === undefined ? '' : ` ≥ ${min}`}${max === undefined ? '' : ` ≤ ${max}`}`;
    const inner = v.pipe(v.number(), v.finite(), v.check((n) => (!integer || Number.isSafeInteger(n)) && (min === undefined || n >= min) && (max === undefined || n <= max), within));
    return { schema: withDefault(inner, o.default), form: { type: 'number', label: o.label, ...opt('help', o.help), required: o.default === undefined, ...opt('default', o.default), ...opt('min', o.min), ...opt('max', o.max), integer } };
  },

  boolean(o: Common<boolean>): SettingsField<boolean> {
    return { schema: withDefault(v.boolean(), o.default), form: { type: 'boolean', label: o.label, ...opt('help', o.help), required: o.default === undefined, ...opt('default', o.default) } };
  },

  enum<const T extends string>(o: Common<NoInfer<T>> & { options: readonly { value: T; label: Localized }[] }): SettingsField<T> {
    const values = o.options.map((x) => x.value);
    if (values.length === 0) throw new SettingsFieldError('an enum needs at least one option');
    if (new Set(values).size !== values.length) throw new SettingsFieldError('enum options repeat a value');
    const inner = v.picklist(values) as v.GenericSchema<unknown, T>;
    return { schema: withDefault(inner, o.default), form: { type: 'enum', label: o.label, ...opt('help', o.help), required: o.default === undefined, ...opt('default', o.default), options: o.options.map((x) => ({ value: x.value, label: x.label })) } };
  },

  /** Integer fen, never negative. */
  money(o: Common<number> & { min?: number; max?: number }): SettingsField<number> {
    const min = o.min ?? 0;
    if (min < 0) throw new SettingsFieldError('money cannot go below zero');
    return { schema: withDefault(intRange(min, o.max), o.default), form: { type: 'money-fen', label: o.label, ...opt('help', o.help), required: o.default === undefined, ...opt('default', o.default), min, ...opt('max', o.max) } };
  },

  /** Integer basis points, 0–10000 unless narrowed. */
  percent(o: Common<number> & { min?: number; max?: number }): SettingsField<number> {
    const min = o.min ?? 0;
    const max = o.max ?? 10_000;
    if (min < 0 || max > 10_000) throw new SettingsFieldError('a percentage stays within 0–10000 basis points');
    return { schema: withDefault(intRange(min, max), o.default), form: { type: 'percent-bps', label: o.label, ...opt('help', o.help), required: o.default === undefined, ...opt('default', o.default), min, max } };
  },
};

export type SettingsValues<F extends Record<string, SettingsField<unknown>>> = { -readonly [K in keyof F]: F[K] extends SettingsField<infer T> ? T : never };

const keyPattern = /^[a-z][a-zA-Z0-9]{0,39}$/;

/** The settings of a plugin: `defineSettings({ minSpend: field.money({ label, default: 0 }) })`. */
export function defineSettings<const F extends Record<string, SettingsField<unknown>>>(fields: F): SettingsSpec<SettingsValues<F>> {
  const entries: Record<string, v.GenericSchema> = {};
  const form: SettingsFormField[] = [];
  for (const [key, f] of Object.entries(fields)) {
    if (!keyPattern.test(key)) throw new SettingsFieldError(`key "${key}" must be camelCase letters and digits`);
    entries[key] = f.schema;
    form.push({ ...f.form, key });
  }
  // v.object keeps the declared keys only, so settings stored by an older version still parse.
  const schema = v.object(entries) as v.GenericSchema<unknown, SettingsValues<F>>;
  return { schema, form };
}

export const noSettings: SettingsSpec<Record<string, never>> = { schema: v.object({}) as v.GenericSchema<unknown, Record<string, never>>, form: [] };
