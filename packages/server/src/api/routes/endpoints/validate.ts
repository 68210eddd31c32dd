import { RESERVED_HEADERS } from '../../../delivery/request.ts';
import { DestinationBlockedError, type DestinationGuard } from '../../../delivery/ssrf-guard.ts';
import { HeraldError, validation as invalid } from '../../../domain/errors.ts';
import { HEADER_NAME } from './schemas.ts';

/** The SSRF guard's verdict on an endpoint URL, as the API's 400 `WHK_ERR_DESTINATION_BLOCKED`. */
export async function checkDestination(guard: DestinationGuard, url: string): Promise<void> {
  try {
    await guard.check(url);
  } catch (error) {
    if (!(error instanceof DestinationBlockedError)) throw error;
    throw new HeraldError('WHK_ERR_DESTINATION_BLOCKED', 400, `body.url: ${error.message}`, {
      field: 'url',
    });
  }
}

/** Checks what the JSON schema cannot: the URL's shape and custom header names. */
export function validateEndpointFields(input: {
  url?: string;
  headers?: Record<string, string>;
}): void {
  if (input.url !== undefined) {
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw invalid('url', 'must be an absolute http(s) URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw invalid('url', 'must use http or https');
    if (url.username || url.password)
      throw invalid('url', 'must not carry credentials; use auth instead');
  }
  for (const name of Object.keys(input.headers ?? {})) {
    if (!HEADER_NAME.test(name))
      throw invalid(`headers.${name}`, 'is not a valid HTTP header name');
    if (RESERVED_HEADERS.has(name.toLowerCase()))
      throw invalid(`headers.${name}`, 'is set by Herald and cannot be overridden');
  }
}
