/**
 * @tuike/plugin-runtime — the platform's side of plugins: manifest checks with stable error
 * codes, the database a plugin gets, budgeted hook calls with a circuit breaker, and the hook
 * points that run a shop's plugins. The pure parts (stacking, SQL analysis, semver) live in
 * `@tuike/plugin-sdk/engine` so the author test kit runs the very same code.
 */
export { pluginErrorCatalog, PluginError, isPluginError, pluginErrorBody } from './errors';
export type { PluginErrorCode } from './errors';
export { validateManifest } from './manifest-check';
export type { ManifestError, ManifestVerdict, ValidateManifestOptions } from './manifest-check';
export { createCircuitBreaker } from './circuit-breaker';
export type { CircuitBreaker, CircuitBreakerOptions } from './circuit-breaker';
export { runHook, runAsyncHook, HookTimeout, inProcessSandbox, consoleHookLogger } from './hook-runner';
export type { HookSandbox, HookPlugin, HookFailure, HookLogEntry, HookLogger, HookOutcome, RunHookOptions } from './hook-runner';
export { createPluginDb, pluginStatementProblems } from './plugin-db';
export { planReservations, reservationSlots } from './reservations';
export { underWatchdog } from './watchdog';
export type { ReserveRun, ReservationPlan } from './reservations';
export type { SqlExecutor, SqlInStatement, SqlInValue, SqlResultLike, PluginDbOptions } from './plugin-db';
export { runPricingHooks, runAddToCartInterceptors, runPlaceOrderInterceptors, commissionAdjusterFor } from './hook-pipeline';
export type { InstalledPlugin, HookRunOptions, SkippedPlugin, PricingRun, PricingPipelineResult, InterceptVerdict, AddToCartRun, PlaceOrderRun } from './hook-pipeline';
export { resolvePricing, stackingRules, defaultStackingRules, stackingRulesSchema } from '@tuike/plugin-sdk/engine';
export type { ResolvedPricing, StackingRules, StackingRulesInput } from '@tuike/plugin-sdk/engine';
