export {
  createDeduper,
  DEFAULT_DEDUPE_TTL_MS,
  type Deduper,
  type DeduperOptions,
  type DedupeStore,
  memoryDedupeStore,
} from './dedupe.ts';
export { WebhookVerificationError, type WebhookVerificationErrorCode } from './errors.ts';
export type * from './events.ts';
export {
  type ExpressContext,
  type ExpressRequest,
  type ExpressResponse,
  expressWebhook,
} from './express.ts';
export {
  type FastifyInstanceLike,
  type FastifyRequestLike,
  type FastifyWebhookOptions,
  fastifyWebhook,
} from './fastify.ts';
export {
  DEFAULT_MAX_BODY_BYTES,
  type HandlerResult,
  handleWebhook,
  type WebhookHandlerOptions,
} from './handler.ts';
export { type HeadersLike, readHeader } from './headers.ts';
export { createNodeHandler, type NodeContext } from './node.ts';
export {
  type RedisCommandClient,
  type RedisDedupeStoreOptions,
  redisDedupeStore,
} from './redis-store.ts';
export { generateSecret, SECRET_PREFIX, secretKey } from './secret.ts';
export { type SignInput, sign } from './sign.ts';
export {
  DEFAULT_TOLERANCE_SECONDS,
  type VerifyOptions,
  verify,
  type WebhookEvent,
  type WebhookSecret,
} from './verify.ts';
