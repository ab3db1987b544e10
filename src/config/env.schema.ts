import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';

export const APP_ROLES = ['api', 'worker', 'all'] as const;
export type AppRole = (typeof APP_ROLES)[number];

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) => value === true || value === 'true' || value === '1';
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
const url = { require_tld: false, require_protocol: true };

/** Every variable of API.md's Environment table, plus a few operational ones. */
export class EnvSchema {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  /**
   * The interface to bind. Unset: 127.0.0.1 outside production, so a development server (perhaps
   * with the unauthenticated SANDBOX) is not reachable from the network by accident; 0.0.0.0 in
   * production, where the app runs behind a container network or load balancer.
   */
  @IsOptional() @IsString() @IsNotEmpty()
  HOST?: string;

  @IsIn(APP_ROLES)
  APP_ROLE: AppRole = 'all';

  @IsUrl(url)
  PUBLIC_URL = 'http://localhost:3000';

  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/nanozons';

  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Key prefix for Bull queues and rate-limit counters; tests use their own. */
  @IsString() @Matches(/^[a-z0-9_-]+$/i)
  REDIS_PREFIX = 'nz';

  @IsString() @IsNotEmpty({ message: 'ENCRYPTION_KEY is required' })
  @Matches(/^[A-Za-z0-9+/=]{43,44}(,[A-Za-z0-9+/=]{43,44})*$/, {
    message: 'ENCRYPTION_KEY must be one or more comma-separated base64 32-byte keys',
  })
  ENCRYPTION_KEY: string;

  @IsString() @IsNotEmpty({ message: 'JWT_SECRET is required' })
  JWT_SECRET: string;

  @IsUrl(url)
  POSTMARK_API_URL = 'https://api.postmarkapp.com';

  @IsUrl(url)
  WHATSAPP_API_URL = 'https://graph.facebook.com/v21.0';

  @IsUrl(url)
  TELEGRAM_API_URL = 'https://api.telegram.org';

  @Transform(emptyToUndefined) @IsOptional() @IsUrl(url)
  AI_BASE_URL?: string;

  @Transform(emptyToUndefined) @IsOptional() @IsString()
  AI_API_KEY?: string;

  @Transform(emptyToUndefined) @IsOptional() @IsString()
  AI_MODEL?: string;

  /** Azure OpenAI: the `api-version` query parameter; setting it (or an `*.openai.azure.com` base) switches to the `api-key` header. */
  @Transform(emptyToUndefined) @IsOptional() @IsString() @Matches(/^[0-9a-z.-]+$/i)
  AI_API_VERSION?: string;

  /** One chat-completions call may take this long before it counts as a (retryable) timeout. */
  @Transform(toInt) @IsInt() @Min(100) @Max(600_000)
  AI_TIMEOUT_MS = 60_000;

  /** Calls per artifact on 429, 5xx and timeouts before it is `failed`; the first retry waits AI_RETRY_BASE_MS, doubling, or `Retry-After`. */
  @Transform(toInt) @IsInt() @Min(1) @Max(10)
  AI_MAX_ATTEMPTS = 3;

  @Transform(toInt) @IsInt() @Min(1) @Max(60_000)
  AI_RETRY_BASE_MS = 1000;

  /** Estimated tokens of conversation text a prompt may carry (newest messages first). */
  @Transform(toInt) @IsInt() @Min(200) @Max(1_000_000)
  AI_PROMPT_TOKEN_BUDGET = 3000;

  @Transform(toBool)
  SANDBOX = false;

  @Transform(toInt) @IsInt() @Min(1)
  OUTBOUND_RETRY_BASE_MS = 2000;

  @Transform(toInt) @IsInt() @Min(1) @Max(50)
  OUTBOUND_MAX_ATTEMPTS = 8;

  /**
   * A worker's claim on an outbound job and on its message, renewed every half of it while the
   * worker lives (so a provider call of any length, at most PROVIDER_TIMEOUT_MS, keeps it). A killed
   * worker's job is found stalled and runs again within about twice this: 20 s, not a minute.
   */
  @Transform(toInt) @IsInt() @Min(1000) @Max(600_000)
  OUTBOUND_LOCK_MS = 10_000;

  /** Inbound webhook processing: first retry delay (doubling) and attempts before the ledger row is `failed`. */
  @Transform(toInt) @IsInt() @Min(1)
  WEBHOOK_RETRY_BASE_MS = 1000;

  @Transform(toInt) @IsInt() @Min(1) @Max(50)
  WEBHOOK_MAX_ATTEMPTS = 5;

  @IsString() @IsNotEmpty()
  STORAGE_DIR = './storage';

  /** Trust X-Forwarded-For (only behind a proxy that sets it); otherwise client IPs could be spoofed. */
  @Transform(toBool)
  TRUST_PROXY = false;

  /** Requests per minute per person (all their tokens), per API key, or, unauthenticated, per IP. */
  @Transform(toInt) @IsInt() @Min(1)
  RATE_LIMIT_PER_MINUTE = 600;

  /** Requests per minute per workspace, shared by all its members and keys. */
  @Transform(toInt) @IsInt() @Min(1)
  RATE_LIMIT_WORKSPACE_PER_MINUTE = 1200;

  /** Sign-in and sign-up attempts per minute per email and per IP. */
  @Transform(toInt) @IsInt() @Min(1)
  RATE_LIMIT_AUTH_PER_MINUTE = 10;

  /** Lets webhook subscriptions target private, loopback and link-local addresses (tests, local development). */
  @Transform(toBool)
  ALLOW_PRIVATE_WEBHOOK_URLS = false;

  /** Outbound webhook deliveries: first retry delay (doubling with jitter, at most 1 h apart, for 24 h). */
  @Transform(toInt) @IsInt() @Min(1)
  WEBHOOK_DELIVERY_RETRY_BASE_MS = 30_000;

  /** One delivery attempt's whole exchange with the receiver. */
  @Transform(toInt) @IsInt() @Min(100) @Max(60_000)
  WEBHOOK_DELIVERY_TIMEOUT_MS = 10_000;

  /** Comment lines on idle event streams, so proxies keep them open and dead clients are noticed. */
  @Transform(toInt) @IsInt() @Min(100) @Max(300_000)
  EVENTS_HEARTBEAT_MS = 15_000;

  /** Bearer token (or Basic password) of the Bull Board at /admin/queues; unset → not mounted. */
  @Transform(emptyToUndefined) @IsOptional() @IsString() @MinLength(16)
  ADMIN_TOKEN?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';
}
