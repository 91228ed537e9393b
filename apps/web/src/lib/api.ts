import { isLang, translate, type Lang } from '~/i18n';
import { currentBasePath } from './base';

/** An API failure with the API's stable code (or NETWORK_ERROR / BAD_RESPONSE from the client). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Field paths named by a VALIDATION_FAILED response (`[{ path, message }]`). */
  fieldPaths(): string[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.flatMap((d: unknown) =>
      typeof d === 'object' && d !== null && 'path' in d && typeof d.path === 'string' ? [d.path] : [],
    );
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

interface ErrorBody {
  /** Plugin routes answer their message in both languages (`{ zh, en }`): shown in the page's. */
  error: { code: string; message: string | { zh?: string; en?: string }; details?: unknown };
}

/** An error message as text in the page's language (a plugin's `{ zh, en }` or a plain string). */
export function messageText(message: unknown, lang: Lang = pageLang()): string {
  if (typeof message === 'string') return message;
  if (typeof message === 'object' && message !== null) {
    const m = message as { zh?: unknown; en?: unknown };
    const text = lang === 'en' ? m.en ?? m.zh : m.zh ?? m.en;
    if (typeof text === 'string') return text;
  }
  return translate(lang, 'common.networkError');
}

const isErrorBody = (body: unknown): body is ErrorBody =>
  typeof body === 'object' && body !== null && 'error' in body &&
  typeof body.error === 'object' && body.error !== null && 'code' in body.error && typeof body.error.code === 'string';

/** The language the page is shown in; API messages follow it. */
function pageLang(): Lang {
  const lang = document.documentElement.lang;
  return isLang(lang) ? lang : 'zh-CN';
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Calls this site's JSON API. `path` starts with `/api/`; under path routing the `/s/{slug}`
 * base is added. Same origin, so the session cookies go along and the browser sends Origin.
 */
export async function apiRequest<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': pageLang() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return send<T>(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

/**
 * Sends raw bytes (an image upload: the body is the file itself, not multipart) with their own
 * Content-Type, and reads the JSON answer like any other call.
 */
export async function apiUpload<T>(path: string, file: Blob, contentType: string): Promise<T> {
  const headers = { accept: 'application/json', 'accept-language': pageLang(), 'content-type': contentType };
  return send<T>(path, { method: 'POST', headers, body: file });
}

async function reach(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(currentBasePath() + path, { ...init, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, 'NETWORK_ERROR', translate(pageLang(), 'common.networkError'), e instanceof Error ? e.message : String(e));
  }
}

/** The API's error for a failed answer: its own code and message, else BAD_RESPONSE. */
function failure(response: Response, text: string): ApiError {
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch { /* not JSON: a proxy's page */ }
  if (isErrorBody(parsed)) return new ApiError(response.status, parsed.error.code, messageText(parsed.error.message), parsed.error.details);
  return new ApiError(response.status, 'BAD_RESPONSE', `${translate(pageLang(), 'common.networkError')} (HTTP ${response.status})`);
}

async function send<T>(path: string, init: RequestInit): Promise<T> {
  const response = await reach(path, init);
  const text = await response.text();
  if (!response.ok) throw failure(response, text);
  try {
    return (text ? JSON.parse(text) : null) as T;
  } catch {
    throw new ApiError(response.status, 'BAD_RESPONSE', `${translate(pageLang(), 'common.networkError')} (HTTP ${response.status})`);
  }
}

/** A GET whose answer is not JSON (an SVG poster): its text; failures are ApiErrors like any call's. */
export async function apiText(path: string): Promise<string> {
  const response = await reach(path, { method: 'GET', headers: { 'accept-language': pageLang() } });
  const text = await response.text();
  if (!response.ok) throw failure(response, text);
  return text;
}

export const api = {
  get: <T>(path: string) => apiRequest<T>('GET', path),
  post: <T>(path: string, body: unknown = {}) => apiRequest<T>('POST', path, body),
  put: <T>(path: string, body: unknown) => apiRequest<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => apiRequest<T>('PATCH', path, body),
  delete: <T>(path: string) => apiRequest<T>('DELETE', path),
};

/**
 * A same-origin API address for the browser itself to load (an `<img>`, a download link): the
 * cookies go along, and under path routing the `/s/{slug}` base is added (client only).
 */
export const apiHref = (path: string): string => `${currentBasePath()}${path}`;

/** Where an uploaded file (a blob key such as `shops/…/images/….png`) is served (client only). */
export const fileUrl = (key: string): string =>
  apiHref(`/api/files/${key.split('/').map(encodeURIComponent).join('/')}`);

/** `?a=1&b=2` from the defined, non-empty values. */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}
