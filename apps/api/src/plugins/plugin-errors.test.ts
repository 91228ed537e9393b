import { describe, expect, it } from 'vitest';
import { errorCatalog } from '@tuike/core';
import { pluginErrorCatalog } from '@tuike/plugin-runtime';

describe('the plugin runtime\'s error codes', () => {
  it('are in the API\'s catalog with the same status and messages, so the API renders them unchanged', () => {
    for (const [code, entry] of Object.entries(pluginErrorCatalog)) {
      expect(errorCatalog[code as keyof typeof errorCatalog], code).toEqual(entry);
    }
  });
});
