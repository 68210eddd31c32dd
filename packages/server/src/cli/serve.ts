import { createHerald } from '../app.ts';
import { configOrExit } from './load-config.ts';

const SHUTDOWN_GRACE_MS = 10_000;

export async function serve(argv: string[]): Promise<void> {
  const config = configOrExit(argv);
  const herald = await createHerald({ config });
  if (herald.generatedAdminToken) {
    process.stderr.write(
      `\nHerald generated an admin token. It is shown once; only its hash is stored.\n\n  HERALD_ADMIN_TOKEN=${herald.generatedAdminToken}\n\n`,
    );
  }
  const address = await herald.listen();
  herald.api.log.info(
    { address, database: config.databaseUrl.split('://')[0] },
    'herald is listening',
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    herald.api.log.info({ signal }, 'stopping: finishing in-flight deliveries');
    await herald.close(SHUTDOWN_GRACE_MS);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
