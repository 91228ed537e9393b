import type { ManifestProblemCode } from '@tuike/plugin-sdk';
import type { SqlAccessProblemCode } from '@tuike/plugin-sdk/engine';

/**
 * Stable codes of the plugin machinery, each with an HTTP status and a message in zh-CN and en,
 * in the shape of @tuike/core's catalog (which they join when the API wires plugins in).
 */
export const pluginErrorCatalog = {
  PLUGIN_MANIFEST_INVALID: { status: 400, zh: '插件清单格式不正确', en: 'The plugin manifest is not valid' },
  PLUGIN_CAPABILITY_UNKNOWN: { status: 400, zh: '插件申请了不存在的权限', en: 'The plugin asks for a capability that does not exist' },
  PLUGIN_CAPABILITY_MISSING: { status: 400, zh: '插件使用了未申请的权限', en: 'The plugin uses a hook its capabilities do not grant' },
  PLUGIN_TABLE_OUTSIDE_PREFIX: { status: 400, zh: '插件只能使用以自身前缀命名的数据表', en: 'A plugin may only use tables named with its own prefix' },
  PLUGIN_SQL_FORBIDDEN: { status: 400, zh: '插件的 SQL 语句不被允许', en: 'The plugin SQL statement is not allowed' },
  PLUGIN_ENGINE_MISMATCH: { status: 409, zh: '插件与当前平台版本不兼容', en: 'The plugin does not support this platform version' },
  PLUGIN_ID_CONFLICT: { status: 409, zh: '插件标识与已安装插件冲突', en: 'The plugin id clashes with an installed plugin' },
  PLUGIN_DB_DENIED: { status: 403, zh: '插件无权访问该数据', en: 'The plugin may not access this data' },
  PLUGIN_CRITICAL_FAILED: { status: 503, zh: '必需的插件暂时不可用，请稍后再试', en: 'A required plugin is not available right now; please try again later' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type PluginErrorCode = keyof typeof pluginErrorCatalog;

// Every code the SDK reports must exist here (a compile error otherwise).
const sdkCodesAreCatalogued: Record<ManifestProblemCode | SqlAccessProblemCode, unknown> = pluginErrorCatalog;
void sdkCodesAreCatalogued;

export class PluginError extends Error {
  readonly code: PluginErrorCode;
  readonly status: number;
  readonly details?: unknown;
  constructor(code: PluginErrorCode, details?: unknown) {
    super(pluginErrorCatalog[code].en);
    this.name = 'PluginError';
    this.code = code;
    this.status = pluginErrorCatalog[code].status;
    this.details = details;
  }
}

export const isPluginError = (e: unknown): e is PluginError => e instanceof PluginError;

export function pluginErrorBody(code: PluginErrorCode, locale: 'zh-CN' | 'en', details?: unknown) {
  const entry = pluginErrorCatalog[code];
  return { error: { code, message: locale === 'en' ? entry.en : entry.zh, ...(details === undefined ? {} : { details }) } };
}
