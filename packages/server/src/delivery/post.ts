import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';

export interface Answer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** At most `bodyLimit` bytes of the body, as UTF-8. */
  body: string;
}

export interface PostOptions {
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Aborts the request wherever it is: queued for a socket, waiting for headers, reading the body. */
  signal: AbortSignal;
  timeoutMs: number;
  bodyLimit: number;
}

/**
 * One POST through undici's dispatch API, keeping the first `bodyLimit` bytes
 * of the answer. What `request()` adds on top of dispatch (a Readable body
 * stream, its events, an async body reader) cost a noticeable share of every
 * delivery, and a delivery never needs more than a short string of the body.
 * Past the limit the connection is dropped, as destroying the body did.
 */
export function post(dispatcher: Dispatcher, options: PostOptions): Promise<Answer> {
  const { signal, bodyLimit } = options;
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | null = null;
    let settled = false;
    let statusCode = 0;
    let headers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    let size = 0;

    const settle = (error: Error | null) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (error) return reject(error);
      const body = Buffer.concat(chunks, Math.min(size, bodyLimit)).toString('utf8');
      resolve({ statusCode, headers, body });
    };
    const abortReason = () => signal.reason ?? new Error('aborted');
    function onAbort() {
      // Queued for a socket, there is no controller yet: onRequestStart aborts it.
      controller?.abort(abortReason());
      settle(abortReason());
    }
    if (signal.aborted) return settle(abortReason());
    signal.addEventListener('abort', onAbort, { once: true });

    dispatcher.dispatch(
      {
        method: 'POST',
        origin: options.origin,
        path: options.path,
        headers: options.headers,
        body: options.body,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      },
      {
        onRequestStart(c) {
          controller = c;
          if (signal.aborted || settled) c.abort(abortReason());
        },
        onResponseStart(_c, status, responseHeaders) {
          // 1xx answers are not the answer.
          if (status < 200) return;
          statusCode = status;
          headers = responseHeaders;
        },
        onResponseData(c, chunk) {
          if (settled) return;
          chunks.push(chunk);
          size += chunk.length;
          if (size < bodyLimit) return;
          settle(null);
          c.abort(new Error('response body limit reached'));
        },
        onResponseEnd() {
          settle(null);
        },
        onResponseError(_c, error) {
          settle(error);
        },
      },
    );
  });
}
