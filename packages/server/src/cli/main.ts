#!/usr/bin/env node
type Command = (argv: string[]) => Promise<void>;

// Loaded on demand: `herald send` and `herald listen` start in a fraction of the
// time when they don't load Fastify, pino and the database drivers first.
const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve.ts')).serve,
  migrate: async () => (await import('./migrate.ts')).migrate,
  listen: async () => (await import('./listen/index.ts')).listen,
  send: async () => (await import('./send.ts')).send,
  'rotate-encryption-key': async () =>
    (await import('./rotate-encryption-key.ts')).rotateEncryptionKey,
};

const USAGE = `usage: herald <command> [options]

commands:
  serve     run the API and the delivery worker
  migrate   apply database migrations and exit
  listen    run a local request inspector (herald listen --help)
  send      send one signed webhook to a URL (herald send --help)
  rotate-encryption-key [--generate]
            re-encrypt stored secrets under the active key (--generate: new key in the key file)

options (also as HERALD_* environment variables):
  --port, --host, --database-url, --admin-token, --allow-private-networks,
  --max-payload-bytes, --log-level, --database-pool-size, --lease-margin-ms,
  --poll-interval-ms, --allowed-destinations, --require-https, --encryption-key,
  --previous-encryption-keys, --encryption-key-file, --scheduler-interval-ms, --retention-days`;

const [command = 'serve', ...argv] = process.argv.slice(2);
const load = COMMANDS[command];
if (!load) {
  console.error(
    command === 'help' || command === '--help' ? USAGE : `unknown command "${command}"\n\n${USAGE}`,
  );
  process.exit(command === 'help' || command === '--help' ? 0 : 2);
}
const run = await load();
await run(argv);
