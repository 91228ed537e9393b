import { definePlugin, type PluginDefinition } from '@tuike/plugin-sdk';

/**
 * A deliberately broken plugin, for showing (and testing in a browser) what the platform does
 * with one: its pricing hook throws on every call. Checkout skips it, the failures are counted,
 * and after five in a row the plugin is switched off until the merchant turns it on again.
 * Offered only when the server runs with TUIKE_TEST_PLUGINS=1 (the browser tests do); never in
 * a real deployment.
 */
export const faultyDemo: PluginDefinition = definePlugin({
  id: 'faulty-demo',
  name: { zh: '故障演示插件', en: 'Faulty demo' },
  description: { zh: '每次计价都会出错，用于演示熔断：结算照常完成，连续失败后插件被自动停用。', en: 'Fails on every pricing call, to show the circuit breaker: checkout still completes, and the plugin is switched off after repeated failures.' },
  version: '1.0.0',
  engine: '^1.0.0',
  capabilities: ['pricing'],
  hooks: {
    pricing: () => { throw new Error('faulty-demo fails on purpose'); },
  },
});
