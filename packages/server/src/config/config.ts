import { parseArgs } from 'node:util';
import { z } from 'zod';
import { parseAllowedDestinations } from '../delivery/ssrf-guard.ts';
import { parseKey } from '../store/encryption/secret-box.ts';

const boolean = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'),
]);

/** Every setting: its environment variable, its flag, and how it is validated. */
const SETTINGS = {
  port: {
    env: 'HERALD_PORT',
    flag: 'port',
    schema: z.coerce.number().int().min(0).max(65535).default(8080),
  },
  host: { env: 'HERALD_HOST', flag: 'host', schema: z.string().min(1).default('127.0.0.1') },
  databaseUrl: {
    env: 'HERALD_DATABASE_URL',
    flag: 'database-url',
    schema: z
      .string()
      .regex(
        /^(sqlite:.+|postgres(ql)?:\/\/.+)$/,
        'expected sqlite:<path>, sqlite::memory: or postgres://…',
      )
      .default('sqlite:./data/herald.db'),
  },
  databasePoolSize: {
    env: 'HERALD_DATABASE_POOL_SIZE',
    flag: 'database-pool-size',
    // Per process (PostgreSQL). The hot path needs about 3: a claim, a batch
    // write and the API; the LISTEN connection is extra.
    schema: z.coerce.number().int().min(1).max(1000).default(10),
  },
  leaseMarginMs: {
    env: 'HERALD_LEASE_MARGIN_MS',
    flag: 'lease-margin-ms',
    // A claim holds for the endpoint's timeout plus this margin; past it, a
    // node presumed dead loses the delivery to another.
    schema: z.coerce.number().int().min(100).default(30_000),
  },
  pollIntervalMs: {
    env: 'HERALD_POLL_INTERVAL_MS',
    flag: 'poll-interval-ms',
    // The fallback when no wake-up arrives (NOTIFY lost, connection down).
    schema: z.coerce.number().int().min(10).default(1000),
  },
  adminToken: {
    env: 'HERALD_ADMIN_TOKEN',
    flag: 'admin-token',
    schema: z.string().min(16, 'must be at least 16 characters').optional(),
  },
  allowPrivateNetworks: {
    env: 'HERALD_ALLOW_PRIVATE_NETWORKS',
    flag: 'allow-private-networks',
    schema: boolean.default(false),
  },
  allowedDestinations: {
    env: 'HERALD_ALLOWED_DESTINATIONS',
    flag: 'allowed-destinations',
    schema: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean),
      )
      .superRefine((entries, ctx) => {
        try {
          parseAllowedDestinations(entries);
        } catch (error) {
          ctx.addIssue({
            code: 'custom',
            message: `bad host or CIDR: ${(error as Error).message}`,
          });
        }
      }),
  },
  encryptionKey: {
    env: 'HERALD_ENCRYPTION_KEY',
    flag: 'encryption-key',
    schema: z
      .string()
      .optional()
      .superRefine((value, ctx) => {
        if (value === undefined) return;
        try {
          parseKey(value);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
        }
      }),
  },
  previousEncryptionKeys: {
    env: 'HERALD_PREVIOUS_ENCRYPTION_KEYS',
    flag: 'previous-encryption-keys',
    schema: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean),
      )
      .superRefine((keys, ctx) => {
        try {
          keys.forEach(parseKey);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
        }
      }),
  },
  encryptionKeyFile: {
    env: 'HERALD_ENCRYPTION_KEY_FILE',
    flag: 'encryption-key-file',
    schema: z.string().min(1).optional(),
  },
  requireHttps: {
    env: 'HERALD_REQUIRE_HTTPS',
    flag: 'require-https',
    schema: boolean.default(false),
  },
  maxJsonDepth: {
    env: 'HERALD_MAX_JSON_DEPTH',
    flag: 'max-json-depth',
    schema: z.coerce.number().int().min(2).max(1000).default(32),
  },
  maxHeaders: {
    env: 'HERALD_MAX_HEADERS',
    flag: 'max-headers',
    schema: z.coerce.number().int().min(10).max(2000).default(100),
  },
  apiRateLimit: {
    env: 'HERALD_API_RATE_LIMIT',
    flag: 'api-rate-limit',
    schema: z.coerce.number().int().min(0).default(1000),
  },
  apiRateLimitWindowMs: {
    env: 'HERALD_API_RATE_LIMIT_WINDOW_MS',
    flag: 'api-rate-limit-window-ms',
    schema: z.coerce.number().int().min(100).max(3_600_000).default(1000),
  },
  maxPayloadBytes: {
    env: 'HERALD_MAX_PAYLOAD_BYTES',
    flag: 'max-payload-bytes',
    schema: z.coerce
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(1024 * 1024),
  },
  schedulerIntervalMs: {
    env: 'HERALD_SCHEDULER_INTERVAL_MS',
    flag: 'scheduler-interval-ms',
    schema: z.coerce.number().int().min(0).default(60_000),
  },
  retentionDays: {
    env: 'HERALD_RETENTION_DAYS',
    flag: 'retention-days',
    // Events older than this go with their deliveries and attempts (never one
    // still pending or sending); 0 keeps everything.
    schema: z.coerce.number().int().min(0).max(36_500).default(30),
  },
  certificateReminderDays: {
    env: 'HERALD_CERTIFICATE_REMINDER_DAYS',
    flag: 'certificate-reminder-days',
    schema: z.coerce.number().int().min(1).max(3650).default(30),
  },
  // Endpoint health (issue 7): see domain/endpoint-health.ts.
  autoDisableAfterMs: {
    env: 'HERALD_AUTO_DISABLE_AFTER_MS',
    flag: 'auto-disable-after-ms',
    schema: z.coerce
      .number()
      .int()
      .min(0)
      .default(5 * 24 * 60 * 60 * 1000),
  },
  autoDisableAfterFailures: {
    env: 'HERALD_AUTO_DISABLE_AFTER_FAILURES',
    flag: 'auto-disable-after-failures',
    schema: z.coerce.number().int().min(0).default(100),
  },
  breakerThreshold: {
    env: 'HERALD_BREAKER_THRESHOLD',
    flag: 'breaker-threshold',
    schema: z.coerce.number().int().min(0).default(5),
  },
  breakerCooldownMs: {
    env: 'HERALD_BREAKER_COOLDOWN_MS',
    flag: 'breaker-cooldown-ms',
    schema: z.coerce.number().int().min(1).default(5_000),
  },
  breakerMaxCooldownMs: {
    env: 'HERALD_BREAKER_MAX_COOLDOWN_MS',
    flag: 'breaker-max-cooldown-ms',
    schema: z.coerce
      .number()
      .int()
      .min(1)
      .default(10 * 60_000),
  },
  logLevel: {
    env: 'HERALD_LOG_LEVEL',
    flag: 'log-level',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  },
} as const;

type Settings = typeof SETTINGS;
export type Config = { [K in keyof Settings]: z.output<Settings[K]['schema']> };

export class ConfigError extends Error {}

/** Reads every setting once: defaults < environment < flags. Throws a ConfigError naming the bad key. */
export function loadConfig(env: NodeJS.ProcessEnv, argv: string[] = []): Config {
  const flags = parseArgs({
    args: argv,
    options: Object.fromEntries(
      Object.values(SETTINGS).map((s) => [s.flag, { type: 'string' as const }]),
    ),
    allowPositionals: true,
    strict: false,
  }).values;
  const config: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(SETTINGS)) {
    const fromFlag = flags[setting.flag];
    const raw = fromFlag ?? (env[setting.env] === '' ? undefined : env[setting.env]);
    const parsed = setting.schema.safeParse(raw);
    if (!parsed.success) {
      const source = fromFlag !== undefined ? `--${setting.flag}` : setting.env;
      throw new ConfigError(
        `${source}: ${parsed.error.issues[0]?.message ?? 'invalid value'} (got ${JSON.stringify(raw)})`,
      );
    }
    config[key] = parsed.data;
  }
  return config as Config;
}
