#!/usr/bin/env node
import { listen } from './listen/index.ts';
import { migrate } from './migrate.ts';
import { send } from './send.ts';
import { serve } from './serve.ts';

const COMMANDS: Record<string, (argv: string[]) => Promise<void>> = {
  serve,
  migrate,
  listen,
  send,
};

const USAGE = `usage: herald <command> [options]

commands:
  serve     run the API and the delivery worker
  migrate   apply database migrations and exit
  listen    run a local request inspector (herald listen --help)
  send      send one signed webhook to a URL (herald send --help)

options (also as HERALD_* environment variables):
  --port, --host, --database-url, --admin-token, --allow-private-networks,
  --max-payload-bytes, --log-level, --database-pool-size, --lease-margin-ms,
  --poll-interval-ms`;

const [command = 'serve', ...argv] = process.argv.slice(2);
const run = COMMANDS[command];
if (!run) {
  console.error(
    command === 'help' || command === '--help' ? USAGE : `unknown command "${command}"\n\n${USAGE}`,
  );
  process.exit(command === 'help' || command === '--help' ? 0 : 2);
}
await run(argv);
