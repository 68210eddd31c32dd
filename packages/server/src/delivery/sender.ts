import type { SendResult } from '../domain/attempt-outcome.ts';
import type { AttemptErrorKind } from '../domain/types.ts';
import { Deadlines } from './deadlines.ts';
import { OriginPools } from './origin-pools.ts';
import { post } from './post.ts';
import type { OutboundRequest } from './request.ts';
import type { DestinationGuard } from './ssrf-guard.ts';

/** How much of a receiver's answer an attempt keeps. */
export const RESPONSE_BODY_LIMIT = 4096;

/**
 * The fewest connections an origin's pool may open. Endpoints on one origin
 * share its pool, so this floor keeps several small endpoints (FIFO ones have a
 * limit of 1) from queueing behind each other; sockets open only when used.
 */
export const MIN_CONNECTIONS = 64;

export interface Sender {
  /**
   * `connections`: the endpoint's maxConcurrency, so its origin's pool has a
   * socket for every request the endpoint may have in flight (above MIN_CONNECTIONS).
   */
  send(
    request: OutboundRequest,
    timeoutMs: number,
    startedAt: number,
    connections?: number,
  ): Promise<SendResult>;
  close(): Promise<void>;
}

/**
 * Sends over undici keep-alive pools, one per origin. Never throws: every
 * failure becomes a SendResult with an error kind.
 */
export function createHttpSender(options: { guard?: DestinationGuard } = {}): Sender {
  const { guard } = options;
  const deadlines = new Deadlines();
  const pools = new OriginPools({
    keepAliveTimeout: 30_000,
    // undici follows no redirect unless told to: a 3xx stays a failed attempt.
    // The guard's lookup resolves, checks and pins each new connection to a checked address.
    ...(guard ? { connect: { lookup: guard.lookup } } : {}),
  });

  return {
    async send(request, timeoutMs, startedAt, connections = MIN_CONNECTIONS) {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      // The endpoint's timeout covers the whole attempt, waiting for a pooled
      // connection and reading the answer included; one shared timer enforces
      // it (see Deadlines), and its abort also ends a body still arriving (post).
      const deadline = deadlines.start(timeoutMs);
      const { signal } = deadline;
      try {
        const url = new URL(request.url);
        guard?.checkUrlSync(url);
        const pool = pools.get(url.origin, Math.max(MIN_CONNECTIONS, connections));
        const answer = await post(pool, {
          path: url.pathname + url.search,
          headers: request.headers,
          body: request.body,
          signal,
          timeoutMs,
          bodyLimit: RESPONSE_BODY_LIMIT,
        });
        const { statusCode, headers } = answer;
        const retryAfter = headers['retry-after'];
        const redirect = statusCode >= 300 && statusCode < 400;
        const location = headers.location;
        return {
          startedAt,
          durationMs: elapsed(),
          statusCode,
          error:
            statusCode >= 200 && statusCode < 300 ? null : redirect ? 'redirect' : 'http_status',
          errorMessage: redirect
            ? `redirect${location ? ` to ${String(location).slice(0, 512)}` : ''} not followed`
            : null,
          responseBody: answer.body,
          retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
        };
      } catch (error) {
        const kind = signal.aborted ? 'timeout' : classify(error);
        return {
          startedAt,
          durationMs: elapsed(),
          statusCode: null,
          error: kind,
          errorMessage: kind === 'timeout' ? `no response within ${timeoutMs} ms` : describe(error),
          responseBody: null,
        };
      } finally {
        deadline.done();
      }
    },
    close: () => pools.close(),
  };
}

function errorCode(error: unknown): string {
  const { code, cause } = (error ?? {}) as { code?: string; cause?: unknown };
  return code ?? (cause ? errorCode(cause) : '');
}

export function classify(error: unknown): AttemptErrorKind {
  const code = errorCode(error);
  if (code === 'WHK_ERR_DESTINATION_BLOCKED') return 'destination_blocked';
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return 'dns';
  if (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'UND_ERR_SOCKET' ||
    code === 'UND_ERR_CLOSED'
  )
    return 'connection_reset';
  if (code.includes('TIMEOUT') || code === 'ETIMEDOUT') return 'timeout';
  if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL)/.test(code))
    return 'tls';
  if (code === 'ERR_INVALID_URL') return 'internal';
  return 'network';
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = errorCode(error);
    return code ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
