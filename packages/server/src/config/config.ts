import { parseArgs } from 'node:util';
import { z } from 'zod';
import { parseAllowedDestinations } from '../delivery/ssrf-guard.ts';
import { parseKey } from '../store/encryption/secret-box.ts';

const boolean = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'),
]);

/** A comma-separated list, trimmed, empty entries dropped. */
const commaList = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  );

/** Checks a value with the parser Herald uses on it, which throws: its message (after `prefix`) is the issue. */
const parsedBy =
  <T>(parse: (value: T) => unknown, prefix = '') =>
  (value: T, ctx: z.RefinementCtx) => {
    try {
      parse(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `${prefix}${(error as Error).message}` });
    }
  };

/**
 * Every setting and how it is validated. A setting `fooBarMs` is read from
 * HERALD_FOO_BAR_MS and from the flag --foo-bar-ms: the names are derived, so
 * they cannot drift apart.
 */
const SETTINGS = {
  port: {
    schema: z.coerce.number().int().min(0).max(65535).default(8080),
  },
  host: { schema: z.string().min(1).default('127.0.0.1') },
  webhookSource: {
    // The x-webhook-source header: the platform sending, as Beedeez sends
    // "beedeez" to every customer. A header value: visible ASCII only.
    schema: z
      .string()
      .regex(/^[\x21-\x7e]{1,100}$/, 'visible ASCII characters, no spaces, at most 100')
      .default('herald'),
  },
  databaseUrl: {
    secret: true, // may carry a password
    schema: z
      .string()
      .regex(
        /^(sqlite:.+|postgres(ql)?:\/\/.+)$/,
        'expected sqlite:<path>, sqlite::memory: or postgres://…',
      )
      // Refused here rather than by pg, whose "Invalid URL" error carries the
      // whole URL, password included, to the terminal.
      .refine(
        (url) => url.startsWith('sqlite:') || URL.canParse(url),
        'not a valid URL: percent-encode characters such as # / @ : in the user name and password',
      )
      .default('sqlite:./data/herald.db'),
  },
  databasePoolSize: {
    // Per process (PostgreSQL). The hot path needs about 3: a claim, a batch
    // write and the API; the LISTEN connection is extra.
    schema: z.coerce.number().int().min(1).max(1000).default(10),
  },
  leaseMarginMs: {
    // A claim holds for the endpoint's timeout plus this margin; past it, a
    // node presumed dead loses the delivery to another.
    schema: z.coerce.number().int().min(100).default(30_000),
  },
  pollIntervalMs: {
    // The fallback when no wake-up arrives (NOTIFY lost, connection down).
    schema: z.coerce.number().int().min(10).default(1000),
  },
  adminToken: {
    secret: true,
    schema: z.string().min(16, 'must be at least 16 characters').optional(),
  },
  allowPrivateNetworks: {
    schema: boolean.default(false),
  },
  allowedDestinations: {
    schema: commaList.superRefine(parsedBy(parseAllowedDestinations, 'bad host or CIDR: ')),
  },
  encryptionKey: {
    secret: true,
    schema: z.string().superRefine(parsedBy(parseKey)).optional(),
  },
  previousEncryptionKeys: {
    secret: true,
    schema: commaList.superRefine(parsedBy((keys: string[]) => keys.forEach(parseKey))),
  },
  encryptionKeyFile: {
    schema: z.string().min(1).optional(),
  },
  requireHttps: {
    schema: boolean.default(false),
  },
  maxJsonDepth: {
    schema: z.coerce.number().int().min(2).max(1000).default(32),
  },
  maxHeaders: {
    schema: z.coerce.number().int().min(10).max(2000).default(100),
  },
  apiRateLimit: {
    schema: z.coerce.number().int().min(0).default(1000),
  },
  apiRateLimitWindowMs: {
    schema: z.coerce.number().int().min(100).max(3_600_000).default(1000),
  },
  maxPayloadBytes: {
    schema: z.coerce
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(1024 * 1024),
  },
  schedulerIntervalMs: {
    schema: z.coerce.number().int().min(0).default(60_000),
  },
  retentionDays: {
    // Events older than this go with their deliveries and attempts (never one
    // still pending or sending); 0 keeps everything.
    schema: z.coerce.number().int().min(0).max(36_500).default(30),
  },
  certificateReminderDays: {
    schema: z.coerce.number().int().min(1).max(3650).default(30),
  },
  // Endpoint health (issue 7): see domain/endpoint-health.ts.
  autoDisableAfterMs: {
    schema: z.coerce
      .number()
      .int()
      .min(0)
      .default(5 * 24 * 60 * 60 * 1000),
  },
  autoDisableAfterFailures: {
    schema: z.coerce.number().int().min(0).default(100),
  },
  breakerThreshold: {
    schema: z.coerce.number().int().min(0).default(5),
  },
  breakerCooldownMs: {
    schema: z.coerce.number().int().min(1).default(5_000),
  },
  breakerMaxCooldownMs: {
    schema: z.coerce
      .number()
      .int()
      .min(1)
      .default(10 * 60_000),
  },
  logLevel: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  },
} as const;

type Settings = typeof SETTINGS;
export type Config = { [K in keyof Settings]: z.output<Settings[K]['schema']> };

export class ConfigError extends Error {}

const envName = (key: string) => `HERALD_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
const flagName = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** `herald serve`'s flags, for the usage text; each is also a HERALD_* variable. */
export const settingFlags = (): string[] =>
  Object.keys(SETTINGS).map((key) => `--${flagName(key)}`);

/** Reads every setting once: defaults < environment < flags. Throws a ConfigError naming the bad key. */
export function loadConfig(env: NodeJS.ProcessEnv, argv: string[] = []): Config {
  const flags = parseArgs({
    args: argv,
    options: Object.fromEntries(
      Object.keys(SETTINGS).map((key) => [flagName(key), { type: 'string' as const }]),
    ),
    allowPositionals: true,
    strict: false,
  }).values;
  const config: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(SETTINGS)) {
    const [flag, variable] = [flagName(key), envName(key)];
    const fromFlag = flags[flag];
    const raw = fromFlag ?? (env[variable] === '' ? undefined : env[variable]);
    const parsed = setting.schema.safeParse(raw);
    if (!parsed.success) {
      const source = fromFlag !== undefined ? `--${flag}` : variable;
      // A refused secret is not echoed: the message lands in logs and terminals.
      const got = 'secret' in setting ? 'value not shown' : `got ${JSON.stringify(raw)}`;
      throw new ConfigError(
        `${source}: ${parsed.error.issues[0]?.message ?? 'invalid value'} (${got})`,
      );
    }
    config[key] = parsed.data;
  }
  return config as Config;
}
