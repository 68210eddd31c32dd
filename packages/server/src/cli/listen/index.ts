import { parseArgs } from 'node:util';
import { secretKey } from '@herald/sdk';
import { COLORS, formatRequest, PLAIN } from './format.ts';
import { type StatusMode, startInspector } from './inspector.ts';

export const LISTEN_USAGE = `usage: herald listen [--port 9000] [--host 127.0.0.1] [--secret whsec_…]… [--status 200|500|flaky]

Starts a local receiver that prints every request: method, path, headers,
pretty JSON body, signature ✓/✗ with the reason, event type, attempt, and
"duplicate" when a webhook-id repeats. A live page is served at /.

  --secret    verify signatures with this secret (repeat it during a rotation)
  --status    what to answer: a status code (default 200), or "flaky": 503 to
              the first request of each webhook-id and 200 to its retries
  --tolerance accepted timestamp skew in seconds (default 300)`;

function fail(message: string): never {
  console.error(`herald listen: ${message}\n\n${LISTEN_USAGE}`);
  process.exit(2);
}

export function parseStatus(value: string): StatusMode | undefined {
  if (value === 'flaky') return { kind: 'flaky' };
  if (/^[1-5]\d\d$/.test(value)) return { kind: 'fixed', status: Number(value) };
  return undefined;
}

export async function listen(argv: string[]): Promise<void> {
  let values: ReturnType<typeof parse>['values'];
  function parse() {
    return parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '9000' },
        host: { type: 'string', default: '127.0.0.1' },
        secret: { type: 'string', multiple: true, default: [] },
        status: { type: 'string', default: '200' },
        tolerance: { type: 'string', default: '300' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    });
  }
  try {
    values = parse().values;
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    console.log(LISTEN_USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port: not a port: ${values.port}`);
  const status = parseStatus(values.status);
  if (!status)
    fail(`--status: expected 200, 500, another status code or flaky, got ${values.status}`);
  const tolerance = Number(values.tolerance);
  if (!Number.isInteger(tolerance) || tolerance < 0) fail('--tolerance: expected whole seconds');
  for (const secret of values.secret) {
    if (!secretKey(secret)) fail('--secret: expected "whsec_" followed by base64');
  }

  const style = process.stdout.isTTY && !process.env.NO_COLOR ? COLORS : PLAIN;
  const inspector = await startInspector(
    {
      secrets: values.secret,
      status,
      toleranceSeconds: tolerance,
      onRequest: (entry) => process.stdout.write(`\n${formatRequest(entry, style)}`),
    },
    { port, host: values.host },
  ).catch((error: NodeJS.ErrnoException) =>
    fail(error.code === 'EADDRINUSE' ? `port ${port} is in use; try --port 0` : error.message),
  );
  const answering =
    status.kind === 'flaky' ? 'flaky (503 first, 200 on retry)' : String(status.status);
  const verifying =
    values.secret.length > 0 ? `${values.secret.length} secret(s)` : 'off (no --secret)';
  process.stdout.write(
    `herald listen: receiving on ${inspector.url}  (live page: ${inspector.url}/)\n` +
      `  answering ${answering}; signature check ${verifying}. Ctrl-C stops.\n`,
  );

  const stop = () => {
    inspector.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
