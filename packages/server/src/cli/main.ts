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

const COMMAND_HELP = `usage: herald <command> [options]

commands:
  serve     run the API and the delivery worker
  migrate   apply database migrations and exit
  listen    run a local request inspector (herald listen --help)
  send      send one signed webhook to a URL (herald send --help)
  rotate-encryption-key [--generate]
            re-encrypt stored secrets under the active key (--generate: new key in the key file)`;

/** The settings are listed from the config table itself, so a new one shows up here. */
async function usage(): Promise<string> {
  const { settingFlags } = await import('../config/config.ts');
  const lines = [''];
  for (const flag of settingFlags()) {
    const line = lines[lines.length - 1];
    if (line && line.length + flag.length > 76) lines.push(`  ${flag},`);
    else lines[lines.length - 1] = line ? `${line} ${flag},` : `  ${flag},`;
  }
  const options = lines.join('\n').slice(0, -1);
  return `${COMMAND_HELP}\n\noptions (also as HERALD_* environment variables):\n${options}`;
}

const [command = 'serve', ...argv] = process.argv.slice(2);
if (command === 'serve') (await import('./node-flags.ts')).execWithNodeFlags();
const load = COMMANDS[command];
if (!load) {
  const help = command === 'help' || command === '--help';
  console.error(help ? await usage() : `unknown command "${command}"\n\n${await usage()}`);
  process.exit(help ? 0 : 2);
}
const run = await load();
try {
  await run(argv);
} catch (error) {
  // What the operator must fix gets one line, not a stack trace.
  const { DatabaseInUseError } = await import('../store/store.ts');
  if (!(error instanceof DatabaseInUseError)) throw error;
  console.error(`herald ${command}: ${error.message}`);
  process.exit(1);
}
