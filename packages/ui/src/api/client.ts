import type { Page } from './types.ts';

/** An API error answer: `{ error: { code, message, field? } }`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  /** Extra structure some codes carry, e.g. WHK_ERR_SCHEMA's list of `{ pointer, message }`. */
  readonly details?: unknown;

  constructor(status: number, code: string, message: string, field?: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.details = details;
  }
}

export type Query = Record<string, string | number | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** The one way the back office talks to Herald: the public HTTP API with a bearer token. */
export class Api {
  readonly token: string;
  /** Called on a 401 so the app can send the person back to sign-in. */
  onUnauthorized?: () => void;

  constructor(token: string) {
    this.token = token;
  }

  async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const error = json?.error ?? {};
      if (response.status === 401) this.onUnauthorized?.();
      throw new ApiError(
        response.status,
        error.code ?? 'WHK_ERR_HTTP',
        error.message ?? `${method} ${path} answered ${response.status}`,
        error.field,
        error.details,
      );
    }
    return json as T;
  }

  get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', withQuery(path, query), undefined, signal);
  }
  page<T>(path: string, query?: Query, signal?: AbortSignal): Promise<Page<T>> {
    return this.get<Page<T>>(path, query, signal);
  }
  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }
  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }
  delete(path: string): Promise<void> {
    return this.request<void>('DELETE', path);
  }
}

/** Which optional parts of the API this Herald has, read from its OpenAPI document. */
export interface Capabilities {
  rotateSecret: boolean;
  eventTypes: boolean;
  apiKeys: boolean;
  certificates: boolean;
}

export async function loadCapabilities(): Promise<Capabilities> {
  try {
    const response = await fetch('/openapi.json');
    const doc = (await response.json()) as { paths?: Record<string, unknown> };
    const paths = Object.keys(doc.paths ?? {});
    const has = (pattern: RegExp) => paths.some((path) => pattern.test(path));
    return {
      rotateSecret: has(/\/endpoints\/\{ep\}\/rotate-secret$/),
      eventTypes: has(/^\/v1\/event-types$/),
      apiKeys: has(/\/api-keys$/),
      certificates:
        has(/^\/v1\/orgs\/\{org\}\/certificates$/) && has(/^\/v1\/orgs\/\{org\}\/badges$/),
    };
  } catch {
    return { rotateSecret: false, eventTypes: false, apiKeys: false, certificates: false };
  }
}
