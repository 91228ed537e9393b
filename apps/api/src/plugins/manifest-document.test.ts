import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { defineSettings, field } from '@tuike/plugin-sdk';
import { manifestJson } from '@tuike/plugin-sdk/engine';
import { canonicalManifest, checkManifestDocument, settingsFromForm } from './manifest-document';
import { greeter, stamps, wishlist } from './testing/sample-plugins';

const label = { zh: '标签', en: 'Label' };

describe('settingsFromForm', () => {
  const spec = defineSettings({
    title: field.string({ label, help: { zh: '帮助', en: 'Help' }, minLength: 2, maxLength: 20 }),
    ratio: field.number({ label, min: 0.5, max: 2 }),
    count: field.number({ label, default: 3, integer: true }),
    on: field.boolean({ label, default: false }),
    mode: field.enum({ label, options: [{ value: 'a', label }, { value: 'b', label }] }),
    floor: field.money({ label, default: 100, min: 100, max: 10_000 }),
    rate: field.percent({ label, default: 500, max: 3000 }),
  });

  it('rebuilds the very form, and a schema that accepts and refuses what the original does', () => {
    const made = settingsFromForm(spec.form);
    if (!made.ok) throw new Error(JSON.stringify(made.errors));
    expect(made.settings.form).toEqual(spec.form);
    const samples = [
      {}, { title: 'ok', ratio: 1, mode: 'a' }, { title: 'x', ratio: 1, mode: 'a' }, { title: 'ok', ratio: 3, mode: 'a' }, { title: 'ok', ratio: 1, mode: 'c' },
      { title: 'ok', ratio: 1, mode: 'b', count: 2.5 }, { title: 'ok', ratio: 1, mode: 'b', floor: 99 }, { title: 'ok', ratio: 1, mode: 'b', rate: 3001, on: true },
      { title: 'ok', ratio: 1.5, mode: 'b', floor: 200, rate: 0, count: -4, extra: 'dropped' },
    ];
    for (const s of samples) {
      const a = v.safeParse(spec.schema, s);
      const b = v.safeParse(made.settings.schema, s);
      expect(b.success, JSON.stringify(s)).toBe(a.success);
      if (a.success && b.success) expect(b.output).toEqual(a.output);
    }
  });

  it.each([
    ['an unknown field type', [{ key: 'x', type: 'date', label, required: true }]],
    ['required disagreeing with the default', [{ key: 'x', type: 'boolean', label, required: true, default: true }]],
    ['a default outside its own bounds', [{ key: 'x', type: 'money-fen', label, required: false, default: 5, min: 10 }]],
    ['a key used twice', [...spec.form.slice(0, 1), ...spec.form.slice(0, 1)]],
    ['a key that is not camelCase', [{ ...spec.form[3]!, key: 'Bad-Key' }]],
  ])('refuses %s', (_, form) => {
    const made = settingsFromForm(form);
    expect(made.ok).toBe(false);
    if (!made.ok) expect(made.errors[0]!.code).toBe('PLUGIN_MANIFEST_INVALID');
  });
});

describe('checkManifestDocument', () => {
  it.each([['stamps 1.0.0', stamps('1.0.0')], ['stamps 1.1.0', stamps('1.1.0')], ['greeter', greeter], ['wishlist', wishlist('1.1.0')]])('accepts what manifestJson gives for %s, unchanged', (_, def) => {
    const m = manifestJson(def);
    const check = checkManifestDocument(JSON.parse(JSON.stringify(m)));
    expect(check).toEqual({ ok: true, manifest: m });
  });

  it('refuses a manifest that says more than the platform reads from it, and junk', () => {
    const m = manifestJson(stamps());
    const twice = checkManifestDocument({ ...m, events: ['order.paid', 'order.paid'] });
    expect(twice.ok).toBe(false);
    for (const junk of [null, 'x', [], { ...m, extra: 1 }, { ...m, hooks: 'pricing' }]) {
      const check = checkManifestDocument(junk);
      expect(check.ok, JSON.stringify(junk)).toBe(false);
      if (!check.ok) expect(check.errors[0]!.code).toBe('PLUGIN_MANIFEST_INVALID');
    }
  });

  it('compares manifests by meaning: hook and event order and key order do not matter', () => {
    const m = manifestJson(wishlist());
    const reordered = Object.fromEntries(Object.entries({ ...m, hooks: [...m.hooks].reverse() }).reverse()) as unknown as typeof m;
    expect(canonicalManifest(reordered)).toBe(canonicalManifest(m));
    expect(canonicalManifest({ ...m, capabilities: ['routes', 'catalog.read'] })).not.toBe(canonicalManifest(m));
  });
});
