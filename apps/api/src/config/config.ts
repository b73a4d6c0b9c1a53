import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { z } from 'zod';
import { compileTrustedProxies } from '../common/client-address';
import { rateLimitSetting } from '../common/rate-limit-spec';
import { parseOriginList } from '../sites/origins';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const ms = (def: number) => z.coerce.number().int().positive().default(def);

/** Every setting the API reads from its environment, validated once at start-up. */
const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
    HOST: z.string().default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** PostgreSQL connection string; unset means embedded PGlite in PARLEY_DATA_DIR. */
    DATABASE_URL: z.url().optional(),
    PARLEY_DATA_DIR: z.string().default('data'),
    /**
     * Where attachment files are stored (default: `attachments` in PARLEY_DATA_DIR). The folder
     * belongs to one node: several nodes need it on a volume they all share.
     */
    ATTACHMENTS_DIR: z.string().min(1).optional(),
    /** The largest file a message can carry, in bytes (10 MB). */
    ATTACHMENT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(1024 * 1024 * 1024)
      .default(10 * 1024 * 1024),
    /** A file uploaded but never sent in a message is deleted after this many hours. */
    ATTACHMENT_UNSENT_TTL_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 365)
      .default(24),
    /** Use an in-memory PGlite (tests). */
    PARLEY_DATABASE_IN_MEMORY: bool.default(false),
    /** Created on first start when no agent exists; a random password is printed when unset. */
    ADMIN_EMAIL: z.email().default('admin@parley.local'),
    ADMIN_PASSWORD: z.string().min(8, 'ADMIN_PASSWORD must be at least 8 characters').optional(),
    /** Public key of the default site, on first start only; random when unset. */
    DEFAULT_SITE_KEY: z
      .string()
      .regex(/^[A-Za-z0-9_-]{4,64}$/, 'DEFAULT_SITE_KEY: 4 to 64 letters, digits, "-" or "_"')
      .optional(),
    /** The URL people reach Parley at (used in logs and the demo page). */
    PUBLIC_URL: z.url().optional(),
    /** Serve a demo customer page on this port (`npm start` does). */
    PARLEY_DEMO_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    /** Where the built widget and console are served from. */
    WIDGET_DIST: z.string().default(resolve(__dirname, '../../../widget/dist')),
    CONSOLE_DIST: z.string().default(resolve(__dirname, '../../../console/dist')),
    /** Agent session lifetime. */
    SESSION_TTL_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 90)
      .default(24 * 14),
    /** Force the Secure flag on cookies (otherwise set when the request arrived over HTTPS). */
    COOKIE_SECURE: bool.optional(),
    /**
     * Rate limits, each `<count>/<window>` (window units s, m, h, d) or `off`; counted per node.
     * New socket.io connections (widget and console) per client IP.
     */
    LIMIT_CONNECTIONS_PER_IP: rateLimitSetting('LIMIT_CONNECTIONS_PER_IP', '60/1m'),
    /** Messages a visitor may send on one connection. */
    LIMIT_MESSAGES_PER_VISITOR_SOCKET: rateLimitSetting(
      'LIMIT_MESSAGES_PER_VISITOR_SOCKET',
      '30/1m',
    ),
    /** New conversations visitors may start per client IP. */
    LIMIT_CONVERSATIONS_PER_IP: rateLimitSetting('LIMIT_CONVERSATIONS_PER_IP', '10/1h'),
    /** Files visitors may upload per client IP (agents' uploads are not counted). */
    LIMIT_UPLOADS_PER_IP: rateLimitSetting('LIMIT_UPLOADS_PER_IP', '30/10m'),
    /**
     * Failed sign-ins per account and per client IP; past the count, every further attempt waits
     * 1 minute, then 2, 4, 8… up to the window.
     */
    LIMIT_LOGIN_FAILURES_PER_ACCOUNT: rateLimitSetting('LIMIT_LOGIN_FAILURES_PER_ACCOUNT', '5/15m'),
    LIMIT_LOGIN_FAILURES_PER_IP: rateLimitSetting('LIMIT_LOGIN_FAILURES_PER_IP', '20/15m'),
    /** A visitor token unused for this long no longer opens a session (the visitor starts afresh). */
    VISITOR_TOKEN_IDLE_DAYS: z.coerce.number().positive().max(3650).default(30),
    /**
     * Origins allowed to embed the default site's widget, on first start only: a comma-separated
     * list of origins (https://shop.example), or `*` for any origin. Unset: only the demo page.
     */
    DEFAULT_SITE_ORIGINS: z
      .string()
      .optional()
      .transform((text, ctx) => {
        if (text === undefined) return undefined;
        const parsed = parseOriginList(text);
        if ('invalid' in parsed) {
          ctx.addIssue({
            code: 'custom',
            message: `DEFAULT_SITE_ORIGINS: not an origin: ${parsed.invalid.join(', ')} (write https://shop.example, or * for any origin)`,
          });
          return z.NEVER;
        }
        return parsed;
      }),
    /** Heartbeat: pingInterval + pingTimeout must stay below the load balancer's idle timeout. */
    PING_INTERVAL_MS: ms(20_000),
    PING_TIMEOUT_MS: ms(20_000),
    LB_IDLE_TIMEOUT_MS: ms(60_000),
    /** Largest socket.io message (and long-polling body) accepted, in bytes. */
    MAX_HTTP_BUFFER_SIZE: z.coerce
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024)
      .default(1_000_000),
    /** Client reconnection back-off sent to widgets and consoles. */
    RECONNECTION_DELAY_MS: ms(1_000),
    RECONNECTION_DELAY_MAX_MS: ms(10_000),
    /**
     * Peers whose `X-Forwarded-For` / `X-Forwarded-Proto` are believed (client IPs for rate limits
     * and logs, HTTPS for secure cookies): addresses, CIDRs, or loopback / linklocal / uniquelocal.
     */
    TRUSTED_PROXIES: z.string().default('loopback'),
    /**
     * Redis for running several nodes: fan-out between nodes, the node registry that routes
     * long-polling requests to the node holding their session, and settings changes. Unset means
     * one node with the in-memory adapter.
     */
    REDIS_URL: z
      .url()
      .refine((u) => /^rediss?:/.test(u), 'REDIS_URL must start with redis:// or rediss://')
      .optional(),
    /** Prefix of every Redis key and channel, so that several Parley installations can share one Redis. */
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_-]{1,32}$/, 'REDIS_PREFIX: 1 to 32 letters, digits, ":", "-" or "_"')
      .default('parley:'),
    /** How long to wait for Redis at start-up before giving up. */
    REDIS_CONNECT_TIMEOUT_MS: ms(10_000),
    /**
     * Where the other nodes reach this one (scheme, host, port; no path), e.g. http://10.0.1.7:3000.
     * Defaults to http://127.0.0.1:<port>, which only works when every node runs on one host.
     */
    INTERNAL_URL: z
      .url()
      .refine((u) => /^https?:\/\/[^/]+\/?$/.test(u), 'INTERNAL_URL: scheme, host and port only')
      .optional(),
    /** A node that has not renewed its registration for this long is considered gone. */
    NODE_TTL_MS: z.coerce.number().int().min(1_000).max(300_000).default(10_000),
    /**
     * Name of a cookie holding the engine.io session id, set on every handshake, for load
     * balancers that can stick on an application cookie. Not needed: requests that reach the
     * wrong node are forwarded to the right one. Unset sets no cookie.
     */
    STICKY_COOKIE: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'STICKY_COOKIE: a cookie name')
      .optional(),
    /** On SIGTERM, how long to wait for in-flight requests and writes before exiting anyway. */
    SHUTDOWN_TIMEOUT_MS: ms(15_000),
    /** When set, GET /metrics requires `Authorization: Bearer <METRICS_TOKEN>`. */
    METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN: at least 16 characters').optional(),
    /** Log lines as JSON (for log collectors) or as short human-readable lines. */
    LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
    /** Identifies this node in session ids, logs and diagnostics. */
    NODE_ID: z
      .string()
      .regex(/^[a-z0-9]{1,16}$/, 'NODE_ID: 1 to 16 lower-case letters or digits')
      .optional(),
  })
  .superRefine((env, ctx) => {
    try {
      compileTrustedProxies(env.TRUSTED_PROXIES);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        path: ['TRUSTED_PROXIES'],
        message: `TRUSTED_PROXIES: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    if (env.PING_INTERVAL_MS + env.PING_TIMEOUT_MS >= env.LB_IDLE_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['PING_INTERVAL_MS'],
        message: `PING_INTERVAL_MS + PING_TIMEOUT_MS (${env.PING_INTERVAL_MS + env.PING_TIMEOUT_MS}) must be below LB_IDLE_TIMEOUT_MS (${env.LB_IDLE_TIMEOUT_MS}), or the load balancer closes idle connections between heartbeats`,
      });
    }
    if (env.RECONNECTION_DELAY_MS > env.RECONNECTION_DELAY_MAX_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['RECONNECTION_DELAY_MS'],
        message: 'RECONNECTION_DELAY_MS must not exceed RECONNECTION_DELAY_MAX_MS',
      });
    }
  });

export type AppConfig = Omit<z.infer<typeof EnvSchema>, 'NODE_ID'> & { NODE_ID: string };

export class ConfigError extends Error {}

/** Parses the environment; throws a ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const result = EnvSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return { ...result.data, NODE_ID: result.data.NODE_ID ?? randomBytes(4).toString('hex') };
}

/** Nest injection token for the parsed configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** What the embedding code (not the environment) decides: tests capture the log lines. */
export interface AppOptions {
  /** Where log lines go instead of standard output. */
  logDestination?: { write(line: string): void };
}

/** Nest injection token for the AppOptions. */
export const APP_OPTIONS = Symbol('APP_OPTIONS');
