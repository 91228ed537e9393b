/**
 * @tuike/plugin-sdk — everything a plugin author imports. Define a plugin with `definePlugin`,
 * its settings with `defineSettings` and `field`, routes with `route`; test it with
 * `@tuike/plugin-sdk/testing`. The hook contract is in hooks.ts; the platform's side of it
 * (stacking, SQL access, manifest checks) is in `@tuike/plugin-sdk/engine`.
 */
export { definePlugin, route, PluginDefinitionError, ENGINE_VERSION } from './manifest';
export type { PluginDefinition, PluginDefinitionInput, ManifestProblem, ManifestProblemCode, OrderEventName, OrderEventScope, OrderEventScopes } from './manifest';
export { defineSettings, field, noSettings } from './settings-fields';
export type { Localized, SettingsField, SettingsSpec, SettingsFormField, SettingsFieldForm, SettingsValues } from './settings-fields';
export { capabilities, eventNames, widgetSlots, hookCapability, eventCapability, coreReadGrants, tablePrefix } from './capabilities';
export { offerClasses } from './hooks';
export type * from './hooks';
