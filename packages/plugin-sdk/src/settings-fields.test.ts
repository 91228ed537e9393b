import * as v from 'valibot';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineSettings, field } from './settings-fields';

const label = { zh: '标签', en: 'Label' };

describe('settings built from fields', () => {
  const settings = defineSettings({
    minSpend: field.money({ label, min: 100, default: 9900 }),
    rate: field.percent({ label, max: 5000, default: 1000 }),
    title: field.string({ label, maxLength: 20 }),
    mode: field.enum({ label, options: [{ value: 'fixed', label }, { value: 'percent', label }], default: 'fixed' }),
    enabled: field.boolean({ label, default: true }),
    perMember: field.number({ label, min: 1, max: 10, integer: true, default: 1 }),
  });

  it('infers the parsed type from the fields', () => {
    expectTypeOf<v.InferOutput<typeof settings.schema>>().toEqualTypeOf<{ minSpend: number; rate: number; title: string; mode: 'fixed' | 'percent'; enabled: boolean; perMember: number }>();
  });

  it('fills defaults, requires fields without one, and drops keys it does not know', () => {
    expect(v.parse(settings.schema, { title: 'x', gone: 1 })).toEqual({ minSpend: 9900, rate: 1000, title: 'x', mode: 'fixed', enabled: true, perMember: 1 });
    expect(v.safeParse(settings.schema, {}).success).toBe(false);
  });

  it('describes the same bounds to the form as the schema enforces', () => {
    expect(settings.form.map((f) => [f.key, f.type])).toEqual([['minSpend', 'money-fen'], ['rate', 'percent-bps'], ['title', 'string'], ['mode', 'enum'], ['enabled', 'boolean'], ['perMember', 'number']]);
    expect(settings.form[0]).toMatchObject({ min: 100, default: 9900, required: false });
    expect(settings.form[1]).toMatchObject({ min: 0, max: 5000 });
    expect(settings.form[2]).toMatchObject({ required: true, maxLength: 20 });
    for (const bad of [{ minSpend: 99 }, { minSpend: 100.5 }, { rate: 5001 }, { rate: -1 }, { title: 'x'.repeat(21) }, { mode: 'other' }, { perMember: 11 }, { perMember: 1.5 }]) {
      expect(v.safeParse(settings.schema, { title: 't', ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('refuses a field whose default breaks its own bounds, or bounds that cross', () => {
    expect(() => field.money({ label, min: 100, default: 50 })).toThrow(/default/);
    expect(() => field.money({ label, min: -1 })).toThrow(/below zero/);
    expect(() => field.percent({ label, max: 20_000 })).toThrow(/basis points/);
    expect(() => field.number({ label, min: 5, max: 1 })).toThrow(/above max/);
    expect(() => field.enum({ label, options: [] })).toThrow(/at least one/);
  });

  it('refuses keys that are not camelCase', () => {
    expect(() => defineSettings({ 'min-spend': field.boolean({ label, default: false }) })).toThrow(/camelCase/);
  });
});
