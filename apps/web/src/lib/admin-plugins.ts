import type { Lang } from '~/i18n';
import { api, type ApiError } from './api';
import { bpsToPercentText, parsePercent } from './distribution';
import { fenToYuanText, parseYuan } from './format';

/** Text in both languages, as plugins and listings give it. */
export interface Localized {
  zh: string;
  en: string;
}

export const localized = (lang: Lang, text: Localized): string => (lang === 'en' ? text.en : text.zh);

/** A shop's install of a plugin (the API's installView). */
export interface PluginInstall {
  version: string;
  source: 'first_party' | 'marketplace';
  enabled: boolean;
  critical: boolean;
  position: number;
  /** Hook failures counted by the circuit breaker. */
  failures: number;
  /** Set when the circuit breaker switched the plugin off. */
  switchedOffAt: number | null;
  switchedOffReason: string | null;
  installedAt: number;
  updatedAt: number;
}

/** One entry of GET /api/admin/plugins. */
export interface PluginOffer {
  id: string;
  source: 'first_party' | 'marketplace';
  name: Localized;
  summary: Localized | null;
  category: string | null;
  screenshots: string[];
  /** The version an install or upgrade gets; null when nothing is offered any more. */
  available: string | null;
  capabilities: string[];
  installed: PluginInstall | null;
  upgradeAvailable: boolean;
  /** This deployment has the code of the installed (or offered) version. */
  runnable: boolean;
}

/** GET /api/admin/plugins/:id: the offer with its description and manifest. */
export interface PluginDetail extends PluginOffer {
  description: Localized | null;
  manifest: { events?: string[]; hooks?: string[]; migrations?: string[] } | null;
}

/** One settings field as the plugin SDK's defineSettings describes it (money in fen, rates in bps). */
export type SettingsFormField = { key: string; label: Localized; help?: Localized; required: boolean } & (
  | { type: 'string'; default?: string; minLength: number; maxLength: number }
  | { type: 'number'; default?: number; min?: number; max?: number; integer: boolean }
  | { type: 'boolean'; default?: boolean }
  | { type: 'enum'; default?: string; options: { value: string; label: Localized }[] }
  | { type: 'money-fen'; default?: number; min: number; max?: number }
  | { type: 'percent-bps'; default?: number; min: number; max: number }
);

export interface PluginSettings {
  form: SettingsFormField[];
  values: Record<string, unknown>;
}

const path = (id: string, rest = '') => `/api/admin/plugins/${encodeURIComponent(id)}${rest}`;

/** The admin's calls to /api/admin/plugins. */
export const pluginsApi = {
  list: async () => (await api.get<{ plugins: PluginOffer[] }>('/api/admin/plugins')).plugins,
  detail: async (id: string) => (await api.get<{ plugin: PluginDetail }>(path(id))).plugin,
  install: (id: string) => api.post(path(id, '/install'), {}),
  upgrade: (id: string) => api.post(path(id, '/upgrade'), {}),
  uninstall: (id: string, keepData: boolean) => api.post(path(id, '/uninstall'), { keepData }),
  patch: (id: string, patch: { enabled?: boolean; critical?: boolean }) => api.patch(path(id), patch),
  settings: (id: string) => api.get<PluginSettings>(path(id, '/settings')),
  saveSettings: (id: string, values: Record<string, unknown>) => api.put<PluginSettings>(path(id, '/settings'), { values }),
};

/** The settings form as typed: text per field, booleans as booleans. */
export type SettingsDraft = Record<string, string | boolean>;

function fieldText(field: SettingsFormField, value: unknown): string | boolean {
  if (field.type === 'boolean') return value === true;
  if (value === undefined || value === null) return '';
  if (field.type === 'money-fen' && typeof value === 'number') return fenToYuanText(value);
  if (field.type === 'percent-bps' && typeof value === 'number') return bpsToPercentText(value);
  return String(value);
}

export const settingsDraft = (s: PluginSettings): SettingsDraft =>
  Object.fromEntries(s.form.map((f) => [f.key, fieldText(f, s.values[f.key] ?? f.default)]));

/** What a field's text means: a value to send, nothing (blank: the plugin's default), or not a value at all. */
type Parsed = { ok: true; value?: unknown } | { ok: false };

function parseField(field: SettingsFormField, raw: string | boolean): Parsed {
  if (field.type === 'boolean') return { ok: true, value: raw === true };
  const text = String(raw);
  if (field.type === 'string') return { ok: true, value: text };
  if (text.trim() === '') return { ok: true };
  if (field.type === 'enum') return { ok: true, value: text };
  const value = field.type === 'money-fen' ? parseYuan(text)
    : field.type === 'percent-bps' ? parsePercent(text)
      : /^-?\d+(?:\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : undefined;
  return value === undefined ? { ok: false } : { ok: true, value };
}

/**
 * The values to PUT, in the plugin's units; `invalid` names the fields whose text is no number
 * at all (ranges, required fields and the rest are the server's to check).
 */
export function settingsValues(form: readonly SettingsFormField[], draft: SettingsDraft): { values: Record<string, unknown>; invalid: string[] } {
  const values: Record<string, unknown> = {};
  const invalid: string[] = [];
  for (const field of form) {
    const parsed = parseField(field, draft[field.key] ?? '');
    if (!parsed.ok) invalid.push(field.key);
    else if (parsed.value !== undefined) values[field.key] = parsed.value;
  }
  return { values, invalid };
}

/** The issues of a PLUGIN_SETTINGS_INVALID refusal: `{ issues: [{ path, message }] }`. */
export function settingsIssues(error: ApiError): { path: string; message: string }[] {
  if (error.code !== 'PLUGIN_SETTINGS_INVALID') return [];
  const issues = (error.details as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.flatMap((i: unknown) => {
    if (typeof i !== 'object' || i === null) return [];
    const { path: p, message } = i as { path?: unknown; message?: unknown };
    return [{ path: typeof p === 'string' ? p : '', message: typeof message === 'string' ? message : '' }];
  });
}

/** Every page under /admin/plugins: the menu's 插件 stays highlighted on all of them. */
export const PLUGINS_PATH = /\/admin\/plugins(?:\/|$)/;
