import { api } from './api';
import type { Localized } from './admin-plugins';

/** The platform console's calls to /api/platform/plugins (G3: authors and reviewers). */

export type VersionStatus = 'draft' | 'submitted' | 'approved' | 'rejected' | 'published';

export interface ConsoleVersion {
  pluginId: string;
  version: string;
  status: VersionStatus;
  capabilities: string[];
  bundle: { sha256: string; size: number; entry: string };
  reviewNote: string | null;
  createdAt: number;
  submittedAt: number | null;
  reviewedAt: number | null;
  publishedAt: number | null;
}

export interface ConsoleListing {
  id: string;
  name: Localized;
  summary: Localized;
  description: Localized;
  screenshots: string[];
  category: string;
  publishedVersion: string | null;
  createdAt: number;
}

export interface MyPlugin extends ConsoleListing {
  versions: ConsoleVersion[];
}

export interface QueueItem {
  plugin: ConsoleListing;
  author: string;
  version: ConsoleVersion;
}

export const PLUGIN_CATEGORIES = ['marketing', 'sales', 'distribution', 'members', 'operations', 'analytics', 'other'] as const;

const base = '/api/platform/plugins';
const v = (id: string, version: string, rest = '') => `${base}/${encodeURIComponent(id)}/versions/${encodeURIComponent(version)}${rest}`;

export const consoleApi = {
  mine: async () => (await api.get<{ plugins: MyPlugin[] }>(`${base}/mine`)).plugins,
  becomeAuthor: () => api.post(`${base}/author`, {}),
  createListing: (body: unknown) => api.post<{ plugin: ConsoleListing }>(base, body),
  upload: (id: string, body: unknown) => api.post<{ version: ConsoleVersion }>(`${base}/${encodeURIComponent(id)}/versions`, body),
  submit: (id: string, version: string) => api.post<{ version: ConsoleVersion }>(v(id, version, '/submit'), {}),
  queue: async () => (await api.get<{ versions: QueueItem[] }>(`${base}/queue`)).versions,
  approve: (id: string, version: string, note: string | null) => api.post<{ version: ConsoleVersion }>(v(id, version, '/approve'), { note }),
  reject: (id: string, version: string, note: string) => api.post<{ version: ConsoleVersion }>(v(id, version, '/reject'), { note }),
  publish: (id: string, version: string) => api.post<{ version: ConsoleVersion }>(v(id, version, '/publish'), {}),
};

/**
 * What the upload box holds, as the API takes it: `{ manifest, bundle }`; or the manifest alone
 * plus the bundle facts (the last line of `npm run plugin -- publish <dir> --dry-run`).
 */
export function uploadBody(manifestText: string, bundleText: string): { body?: { manifest: unknown; bundle: unknown }; problem?: 'manifest' | 'bundle' } {
  let manifest: unknown;
  try {
    manifest = JSON.parse(manifestText);
  } catch {
    return { problem: 'manifest' };
  }
  if (typeof manifest !== 'object' || manifest === null) return { problem: 'manifest' };
  const whole = manifest as { manifest?: unknown; bundle?: unknown };
  if (whole.manifest !== undefined && whole.bundle !== undefined && bundleText.trim() === '') return { body: { manifest: whole.manifest, bundle: whole.bundle } };
  let facts: unknown;
  try {
    const lines = bundleText.trim().split('\n');
    facts = JSON.parse(lines[lines.length - 1] ?? '');
  } catch {
    return { problem: 'bundle' };
  }
  if (typeof facts !== 'object' || facts === null) return { problem: 'bundle' };
  const { sha256, size, entry } = facts as { sha256?: unknown; size?: unknown; entry?: unknown };
  return { body: { manifest, bundle: { sha256, size, entry } } };
}
