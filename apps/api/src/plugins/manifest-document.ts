import * as v from 'valibot';
import { defineSettings, field, type SettingsField, type SettingsFormField, type SettingsSpec } from '@tuike/plugin-sdk';
import { manifestJson, type ManifestJson } from '@tuike/plugin-sdk/engine';
import { validateManifest, type ManifestError, type ValidateManifestOptions } from '@tuike/plugin-runtime';

/**
 * A manifest as an author uploads it (what `manifestJson` gives) is plain data: no hook, route
 * handler or valibot schema. The platform turns it back into a definition-shaped candidate —
 * placeholders where the code would be, a settings schema rebuilt from the form description — so
 * the runtime's own `validateManifest` judges it exactly as it judges bundled code: capabilities
 * against hooks, migrations against the table prefix, the engine range against this platform.
 * The placeholders never leave this file: callers get the verdict and the normalised manifest.
 */

const text = v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(200));
const label = v.strictObject({ zh: text, en: text });
const common = { key: v.string(), label, help: v.optional(label), required: v.boolean() };
const formFieldSchema = v.variant('type', [
  v.strictObject({ ...common, type: v.literal('string'), default: v.optional(v.string()), minLength: v.number(), maxLength: v.number() }),
  v.strictObject({ ...common, type: v.literal('number'), default: v.optional(v.number()), min: v.optional(v.number()), max: v.optional(v.number()), integer: v.boolean() }),
  v.strictObject({ ...common, type: v.literal('boolean'), default: v.optional(v.boolean()) }),
  v.strictObject({ ...common, type: v.literal('enum'), default: v.optional(v.string()), options: v.array(v.strictObject({ value: v.string(), label })) }),
  v.strictObject({ ...common, type: v.literal('money-fen'), default: v.optional(v.number()), min: v.number(), max: v.optional(v.number()) }),
  v.strictObject({ ...common, type: v.literal('percent-bps'), default: v.optional(v.number()), min: v.number(), max: v.number() }),
]);

const documentSchema = v.strictObject({
  id: v.string(),
  name: v.unknown(),
  description: v.unknown(),
  version: v.string(),
  engine: v.string(),
  capabilities: v.array(v.string()),
  settings: v.pipe(v.array(v.unknown()), v.maxLength(100)),
  migrations: v.array(v.string()),
  routes: v.array(v.strictObject({ method: v.string(), path: v.string(), auth: v.string() })),
  widgets: v.array(v.unknown()),
  hooks: v.array(v.string()),
  events: v.array(v.string()),
  /** Absent in manifests made before the SDK had it: the default. */
  orderEvents: v.optional(v.unknown(), 'taken-part'),
});

const invalid = (path: string, message: string): ManifestError => ({ code: 'PLUGIN_MANIFEST_INVALID', path, message });

/** The field the form entry describes, made with the SDK's own `field` (so schema and form agree). */
function fieldOf(f: v.InferOutput<typeof formFieldSchema>): SettingsField<unknown> {
  const base = { label: f.label, ...(f.help ? { help: f.help } : {}) };
  switch (f.type) {
    case 'string': return field.string({ ...base, default: f.default, minLength: f.minLength, maxLength: f.maxLength });
    case 'number': return field.number({ ...base, default: f.default, min: f.min, max: f.max, integer: f.integer });
    case 'boolean': return field.boolean({ ...base, default: f.default });
    case 'enum': return field.enum({ ...base, default: f.default, options: f.options });
    case 'money-fen': return field.money({ ...base, default: f.default, min: f.min, max: f.max });
    case 'percent-bps': return field.percent({ ...base, default: f.default, min: f.min, max: f.max });
  }
}

/** Settings (schema and form) from a form description; the description must be one `field` makes. */
export function settingsFromForm(form: readonly unknown[]): { ok: true; settings: SettingsSpec<unknown> } | { ok: false; errors: ManifestError[] } {
  const fields: Record<string, SettingsField<unknown>> = {};
  const errors: ManifestError[] = [];
  form.forEach((raw, i) => {
    const parsed = v.safeParse(formFieldSchema, raw);
    if (!parsed.success) {
      errors.push(invalid(`settings[${i}].${v.getDotPath(parsed.issues[0]) ?? ''}`, parsed.issues[0].message));
      return;
    }
    const f = parsed.output;
    if (f.required !== (f.default === undefined)) errors.push(invalid(`settings[${i}].required`, 'a field is required exactly when it has no default'));
    else if (Object.hasOwn(fields, f.key)) errors.push(invalid(`settings[${i}].key`, `"${f.key}" is used twice`));
    else {
      try {
        fields[f.key] = fieldOf(f);
      } catch (e) {
        errors.push(invalid(`settings[${i}]`, e instanceof Error ? e.message : String(e)));
      }
    }
  });
  if (errors.length) return { ok: false, errors };
  try {
    return { ok: true, settings: defineSettings(fields) as SettingsSpec<unknown> };
  } catch (e) {
    return { ok: false, errors: [invalid('settings', e instanceof Error ? e.message : String(e))] };
  }
}

const placeholder = () => {
  throw new Error('a manifest carries no code');
};

export type ManifestCheck =
  | { ok: true; manifest: ManifestJson }
  | { ok: false; errors: ManifestError[] };

/**
 * Judges an uploaded manifest with the runtime's `validateManifest`. On success `manifest` is the
 * platform's normalised form of it: what is stored, shown, and installed from.
 */
export function checkManifestDocument(document: unknown, options: ValidateManifestOptions = {}): ManifestCheck {
  const shape = v.safeParse(documentSchema, document);
  if (!shape.success) return { ok: false, errors: shape.issues.map((i) => invalid(v.getDotPath(i) ?? '(root)', i.message)) };
  const doc = shape.output;
  const settings = settingsFromForm(doc.settings);
  if (!settings.ok) return settings;
  const candidate = {
    id: doc.id,
    name: doc.name,
    description: doc.description,
    version: doc.version,
    engine: doc.engine,
    capabilities: doc.capabilities,
    settings: settings.settings,
    migrations: doc.migrations,
    routes: doc.routes.map((r) => ({ ...r, handler: placeholder })),
    widgets: doc.widgets,
    hooks: {
      ...Object.fromEntries(doc.hooks.map((h) => [h, placeholder])),
      ...(doc.events.length ? { events: Object.fromEntries(doc.events.map((e) => [e, placeholder])) } : {}),
    },
    orderEvents: doc.orderEvents,
  };
  const verdict = validateManifest(candidate, options);
  if (!verdict.ok) return verdict;
  const manifest = manifestJson(verdict.plugin);
  // Whatever the normalisation dropped or renamed would make the stored manifest say less than the
  // upload did (a hook listed twice, an event under hooks): refuse rather than store a different one.
  if (canonicalManifest(manifest) !== canonicalManifest(doc as unknown as ManifestJson)) {
    return { ok: false, errors: [invalid('(root)', 'the manifest is not in the form manifestJson() gives; build it with the SDK')] };
  }
  return { ok: true, manifest };
}

/** Key-sorted JSON with hook and event lists sorted and defaults filled: two manifests that mean the same compare equal. */
export function canonicalManifest(m: ManifestJson): string {
  const sorted = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sorted);
    if (typeof x === 'object' && x !== null) return Object.fromEntries(Object.keys(x).sort().map((k) => [k, sorted((x as Record<string, unknown>)[k])]));
    return x;
  };
  // A manifest stored before `orderEvents` existed means the default.
  return JSON.stringify(sorted({ ...m, orderEvents: m.orderEvents ?? 'taken-part', hooks: [...m.hooks].sort(), events: [...m.events].sort() }));
}

/** The settings form of a manifest as a spec (a stored manifest was checked when uploaded). */
export function settingsOfManifest(manifest: ManifestJson): SettingsSpec<unknown> {
  const made = settingsFromForm(manifest.settings as readonly SettingsFormField[]);
  if (!made.ok) throw new Error(`stored manifest ${manifest.id}@${manifest.version} has unusable settings: ${made.errors[0]?.message}`);
  return made.settings;
}
