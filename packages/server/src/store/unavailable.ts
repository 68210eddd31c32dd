/** SQLSTATE classes and codes that mean the server cannot be reached or is going away. */
const UNAVAILABLE_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
]);

/**
 * Whether an error says the database cannot be reached right now (a restart,
 * a failover, a network cut), not that the request was wrong: the caller
 * should retry shortly. pg's own connection errors carry no code, only text.
 */
export function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (code.startsWith('08') || UNAVAILABLE_CODES.has(code)))
    return true;
  return /^Connection terminated|connection error|timeout exceeded when trying to connect/.test(
    error.message,
  );
}
