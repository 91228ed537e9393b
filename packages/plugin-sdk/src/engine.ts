/**
 * @tuike/plugin-sdk/engine — the pure half of the platform's plugin machinery, shared by the
 * runtime and the author's test kit so both price, check and refuse the same way. Plugin code
 * has no use for it.
 */
export { resolvePricing, stackingRules, defaultStackingRules, stackingRulesSchema } from './stacking';
export type { StackingRules, StackingRulesInput, PairRule, ClassPick, ResolvedPricing, ResolvedLine, AppliedOperation, UnappliedOperation, RejectedOutput, ResolvePricingOptions } from './stacking';
export { checkOperations, pricingBasis, pricingOperationSchema, maxOperationsPerPlugin } from './pricing-operations';
export type { OperationsCheck, PricingBasis } from './pricing-operations';
export { spreadProportionally } from './order-spread';
export { pricingInputFor, settingsFor, choiceFor, memberFor, checkInterceptResult, checkReservation, deepFreeze } from './pricing-input';
export type { PricingCall } from './pricing-input';
export { checkCommissionAdjustment } from './commission-check';
export type { CommissionAdjustmentCheck } from './commission-check';
export { inspectPlugin, manifestJson, orderEventScope } from './manifest';
export type { ManifestJson } from './manifest';
export { analyzeSql } from './sql-analysis';
export type { StatementAccess } from './sql-analysis';
export { sqlAccessProblems, statementProblems, ownsName } from './sql-access';
export type { SqlAccessPolicy, SqlAccessProblem, SqlAccessProblemCode } from './sql-access';
export { SqlSyntaxError } from './sql-tokens';
export { satisfies, parseVersion, parseRange, compareVersions, isVersion, isRange } from './semver';
export type { SemVer } from './semver';
export { isCapability, pluginIdPattern, pluginIdsConflict, readableCoreTables, slotCapability, stateLoaderCapabilities } from './capabilities';
