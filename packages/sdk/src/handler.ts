import type { Deduper } from './dedupe.ts';
import { WebhookVerificationError } from './errors.ts';
import type { HeadersLike } from './headers.ts';
import { verify, type WebhookEvent, type WebhookSecret } from './verify.ts';

/** What every framework helper takes. `C` is the framework's request context. */
export interface WebhookHandlerOptions<E extends WebhookEvent, C> {
  /** The endpoint's secret; during a rotation, both the new and the old one. */
  secret: WebhookSecret | readonly WebhookSecret[];
  /** Called once per verified request (once per webhook id with a deduper). */
  onEvent(event: E, context: C): unknown;
  /** Answer repeated webhook ids with 200 without calling onEvent. */
  deduper?: Deduper;
  toleranceSeconds?: number;
  /** The receiver's clock (epoch ms); defaults to the system clock. */
  now?: () => number;
  /** Largest body accepted, in bytes (default 1 MiB and a margin); larger ones get 413. */
  maxBodyBytes?: number;
  /**
   * Told about failures answered 500; defaults to console.error. `event` is
   * the verified event when onEvent failed, undefined when the failure came
   * first (a client gone in the middle of its body, say).
   */
  onError?(error: unknown, event: E | undefined): void;
}

export interface HandlerResult {
  status: number;
  body: Record<string, unknown>;
}

// Herald takes payloads up to 1 MiB; the envelope and standard formats wrap
// them in a few dozen bytes more.
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024 + 64 * 1024;

/**
 * Verify, dedupe, dispatch: the framework-neutral core of the helpers. A bad
 * signature is 401, a body that is not JSON 400, a receiver whose secret is
 * misconfigured 500 (so Herald retries once it is fixed), a failing onEvent
 * 500 (Herald retries), a webhook whose earlier delivery is still being handled
 * 409 (Herald retries), a handled duplicate 200, everything else 200.
 */
export async function handleWebhook<E extends WebhookEvent, C>(
  body: string | Uint8Array,
  headers: HeadersLike,
  options: WebhookHandlerOptions<E, C>,
  context: C,
): Promise<HandlerResult> {
  let event: E;
  try {
    event = verify<E>(body, headers, options.secret, {
      toleranceSeconds: options.toleranceSeconds,
      now: options.now?.(),
    });
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    const status =
      error.code === 'invalid_payload' ? 400 : error.code === 'invalid_secret' ? 500 : 401;
    return { status, body: { error: error.code, message: error.message } };
  }
  const run = async () => options.onEvent(event, context);
  try {
    if (options.deduper) {
      const outcome = await options.deduper.once(event.id, run);
      // Still being handled elsewhere: that may yet fail, so ask the sender to come back later.
      if (outcome.duplicate && outcome.processing) {
        return {
          status: 409,
          body: { error: 'in_progress', message: 'this webhook is being handled' },
        };
      }
      if (outcome.duplicate) return { status: 200, body: { received: true, duplicate: true } };
    } else {
      await run();
    }
  } catch (error) {
    (options.onError ?? ((e: unknown) => console.error('webhook handler failed:', e)))(
      error,
      event,
    );
    return { status: 500, body: { error: 'handler_failed', message: 'the handler failed' } };
  }
  return { status: 200, body: { received: true } };
}
