import { createStore } from '../store/open-store.ts';
import { configOrExit } from './load-config.ts';

export async function migrate(argv: string[]): Promise<void> {
  const config = configOrExit(argv);
  const store = createStore(config.databaseUrl, { poolSize: 1 });
  await store.migrate();
  await store.close();
  console.log('migrations applied');
}
