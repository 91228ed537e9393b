import { AppError } from '@tuike/core';
import type { ManifestError, PluginErrorCode } from '@tuike/plugin-runtime';
import { isPluginError } from '@tuike/plugin-runtime';
import { errorCatalog } from '@tuike/core';

// The runtime's codes are part of the API's catalog (a compile error otherwise), so a refusal
// from the runtime leaves the API with the runtime's own stable code.
const runtimeCodesAreCatalogued: Record<PluginErrorCode, unknown> = errorCatalog;
void runtimeCodesAreCatalogued;

/** A refused manifest: the first problem's code, every problem in the details. */
export function manifestRefused(errors: readonly ManifestError[]): AppError {
  return new AppError(errors[0]?.code ?? 'PLUGIN_MANIFEST_INVALID', { problems: errors.map((e) => ({ code: e.code, path: e.path, message: e.message })) });
}

/** A PluginError thrown by the runtime, as the AppError the API's error handler renders. */
export function asAppError(e: unknown): unknown {
  return isPluginError(e) ? new AppError(e.code, e.details) : e;
}
