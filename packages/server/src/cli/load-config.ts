import { type Config, ConfigError, loadConfig } from '../config/config.ts';

/** The configuration, or a one-line message naming the bad setting and exit code 2. */
export function configOrExit(argv: string[]): Config {
  try {
    return loadConfig(process.env, argv);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`herald: invalid configuration: ${error.message}`);
    process.exit(2);
  }
}
