import { describe, expect, it } from 'vitest';
import { deepFreeze, settingsFor } from './pricing-input';
import { defineSettings, field } from './settings-fields';

const label = { zh: '门槛', en: 'Threshold' };
const plugin = { settings: defineSettings({ threshold: field.number({ label, integer: true, min: 0, max: 100_000, default: 100 }) }) };

describe('settingsFor', () => {
  it('parses with defaults filled, and keeps the answer for a frozen stored object by identity', () => {
    const stored = deepFreeze({ threshold: 500 });
    const first = settingsFor(plugin, stored);
    expect(first).toEqual({ threshold: 500 });
    expect(Object.isFrozen(first)).toBe(true);
    expect(settingsFor(plugin, stored)).toBe(first);
    expect(settingsFor(plugin, deepFreeze({}))).toEqual({ threshold: 100 });
  });

  it('reads an object a caller may still change anew each time (by its content)', () => {
    const stored: { threshold: number } = { threshold: 1 };
    expect(settingsFor(plugin, stored)).toEqual({ threshold: 1 });
    stored.threshold = 2;
    expect(settingsFor(plugin, stored)).toEqual({ threshold: 2 });
  });

  it('bad input: stored settings the schema refuses throw, frozen or not', () => {
    expect(() => settingsFor(plugin, deepFreeze({ threshold: -1 }))).toThrow();
    expect(() => settingsFor(plugin, { threshold: 'x' })).toThrow();
  });
});
