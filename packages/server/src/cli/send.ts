import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { secretKey, sign } from '@herald/sdk';
import { newId } from '../domain/ids.ts';
import { VERSION } from '../version.ts';

export const SEND_USAGE = `usage: herald send --url <url> --secret whsec_… --type <event type> (--file payload.json | --data '<json>')
                   [--id evt_…] [--attempt 1] [--header "name: value"]… [--timeout 10000]

Sends one request signed exactly as Herald signs deliveries (Standard Webhooks
headers, webhook-event-type, webhook-attempt) and prints the response. The
body is sent byte for byte as given. Exits 0 on a 2xx answer, 1 otherwise.
Repeat --secret to sign with several secrets, as during a rotation.`;

function fail(message: string): never {
  console.error(`herald send: ${message}\n\n${SEND_USAGE}`);
  process.exit(2);
}

function options(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        url: { type: 'string' },
        secret: { type: 'string', multiple: true, default: [] },
        type: { type: 'string' },
        file: { type: 'string' },
        data: { type: 'string' },
        id: { type: 'string' },
        attempt: { type: 'string', default: '1' },
        header: { type: 'string', multiple: true, default: [] },
        timeout: { type: 'string', default: '10000' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    fail((error as Error).message);
  }
}

export async function send(argv: string[]): Promise<void> {
  const values = options(argv);
  if (values.help) {
    console.log(SEND_USAGE);
    return;
  }
  if (!values.url) fail('--url is required');
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    fail(`--url: not a URL: ${values.url}`);
  }
  if (values.secret.length === 0) fail('--secret is required');
  for (const secret of values.secret) {
    if (!secretKey(secret)) fail('--secret: expected "whsec_" followed by base64');
  }
  if (!values.type) fail('--type is required');
  if ((values.file === undefined) === (values.data === undefined)) {
    fail('give the payload with exactly one of --file or --data');
  }
  let body: string;
  try {
    body = values.file !== undefined ? readFileSync(values.file, 'utf8') : values.data!;
  } catch (error) {
    fail(`--file: ${(error as Error).message}`);
  }
  try {
    JSON.parse(body);
  } catch {
    fail('the payload is not valid JSON');
  }
  const extra: Record<string, string> = {};
  for (const header of values.header) {
    const colon = header.indexOf(':');
    if (colon < 1) fail(`--header: expected "name: value", got ${header}`);
    extra[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
  }
  if (!/^\d+$/.test(values.attempt)) fail('--attempt: expected a whole number');

  const id = values.id ?? newId('evt');
  const timestamp = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'user-agent': `Herald/${VERSION} (herald send)`,
    ...extra,
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': sign({ id, timestamp, body }, values.secret),
    'webhook-event-type': values.type,
    'webhook-attempt': values.attempt,
  };

  console.log(`→ POST ${url.href}`);
  for (const [name, value] of Object.entries(headers)) console.log(`  ${name}: ${value}`);
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(Number(values.timeout) || 10_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    console.log(`✗ no response: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    process.exitCode = 1;
    return;
  }
  const text = await response.text();
  const ms = Math.round(performance.now() - started);
  console.log(`\n← ${response.status} ${response.statusText} (${ms} ms)`);
  for (const [name, value] of response.headers) console.log(`  ${name}: ${value}`);
  if (text.length > 0) {
    let shown = text;
    try {
      shown = JSON.stringify(JSON.parse(text), null, 2);
    } catch {}
    console.log(`\n${shown}`);
  }
  process.exitCode = response.ok ? 0 : 1;
}
