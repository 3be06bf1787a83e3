import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { plainToInstance, Transform } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, IsTimeZone, IsUrl, Matches, Max, Min, MinLength, ValidateIf, validateSync } from 'class-validator';
import type { Severity, UpdatePolicy } from '../workflows/update-request.contract';
import { IsCommunicationPolicy, parseCommunicationPolicy } from './communication-policy';
import { parsePayloadKeys, type PayloadKeyRing } from './payload-codec';
import {
  IsDailyHours, IsHolidayRegion, IsWeekdayList, parseDailyHours, parseHolidayRegion, parseWeekdays,
  type DailyHours, type HolidayRegion,
} from './support-schedule';

const SNAPSHOT_PROVIDERS = ['none', 'simulated', 'libvirt'] as const;
const SESSION_PROVIDERS = ['none', 'simulated', 'ssh'] as const;
/**
 * `none`: operators act by hand and record what they did; `simulated`: the in-process stand-in
 * for demos; `libvirt` and `ssh`: the customer's real hypervisors and hosts, found in the inventory.
 */
export type SnapshotProviderKind = (typeof SNAPSHOT_PROVIDERS)[number];
export type SessionProviderKind = (typeof SESSION_PROVIDERS)[number];

/**
 * Every setting the service reads from its environment, with its default. The README's
 * configuration table documents the same names; an invalid value stops start-up naming the variable.
 */
class Environment {
  @IsOptional() @Matches(/^[^\s:]+:\d{1,5}$/, { message: 'TEMPORAL_ADDRESS must be host:port' })
  TEMPORAL_ADDRESS?: string;

  @IsString() @MinLength(1)
  TEMPORAL_NAMESPACE = 'default';

  @IsString() @MinLength(1)
  TEMPORAL_TASK_QUEUE = 'managed-updates';

  // Workflows a worker keeps in memory between tasks; the SDK's own default grows with V8's heap limit.
  @WholeNumber(0) WORKFLOW_CACHE_SIZE = 1000;

  @IsOptional() @IsUrl({ protocols: ['postgres', 'postgresql'], require_protocol: true, require_tld: false }, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @Matches(/^[a-z_][a-z0-9_]*$/, { message: 'DATABASE_SCHEMA must be a lower-case SQL identifier' })
  DATABASE_SCHEMA = 'public';

  @IsOptional() @IsUrl({ protocols: ['smtp', 'smtps'], require_protocol: true, require_tld: false }, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsString() @MinLength(3)
  MAIL_FROM = 'Managed Updates <updates@managed-updates.local>';

  @IsEmail({ require_tld: false }, { message: 'OPERATIONS_EMAIL must be an e-mail address' })
  OPERATIONS_EMAIL = 'operations@managed-updates.local';

  // The escalation path: operations messages about requests of these severities also go on call.
  @IsOptional() @IsEmail({ require_tld: false }, { message: 'ON_CALL_EMAIL must be an e-mail address' })
  ON_CALL_EMAIL?: string;

  @Matches(/^(none|(blocker|high|major|minor)(\s*,\s*(blocker|high|major|minor))*)$/, {
    message: 'ON_CALL_SEVERITIES must be none or a comma-separated list of blocker, high, major, minor',
  })
  ON_CALL_SEVERITIES = 'blocker,high';

  @IsString() @MinLength(1)
  API_HOST = '127.0.0.1';

  @Transform(({ value }) => toInteger(value)) @IsInt({ message: 'API_PORT must be an integer' }) @Min(0) @Max(65535)
  API_PORT = 3000;

  // Express's `trust proxy`: which proxies' X-Forwarded-For names the client (rate limits per address).
  @IsOptional() @Matches(/^(\d{1,2}|(loopback|linklocal|uniquelocal|[0-9a-fA-F.:/]+)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F.:/]+))*)$/, {
    message: 'API_TRUST_PROXY must be a number of proxy hops or a comma-separated list of proxy addresses (or loopback, linklocal, uniquelocal)',
  })
  API_TRUST_PROXY?: string;

  // Rate limits of the API, per window; see api/rate-limits/rate-limits.ts for what each counts.
  @WholeNumber(1) RATE_LIMIT_WINDOW_SECONDS = 60;
  @WholeNumber(1) RATE_LIMIT_PER_KEY = 600;
  @WholeNumber(1) RATE_LIMIT_PER_ADDRESS = 1200;
  @WholeNumber(1) RATE_LIMIT_SUBMISSIONS = 30;
  @WholeNumber(1) RATE_LIMIT_MAIL = 10;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace'], { message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace' })
  LOG_LEVEL = 'info';

  @IsString() @MinLength(1)
  DATA_DIR = '.data';

  // The procedure's deadlines; each request captures them once (loadPolicy), so changes apply to new requests.
  @WholeNumber(0) LEAD_TIME_DAYS = 14;
  // Per severity: hours operators have for the short-notice decision and for each of their steps.
  @WholeNumber(1) RESPONSE_HOURS_BLOCKER = 4;
  @WholeNumber(1) RESPONSE_HOURS_HIGH = 24;
  @WholeNumber(1) RESPONSE_HOURS_MAJOR = 48;
  @WholeNumber(1) RESPONSE_HOURS_MINOR = 120;
  @WholeNumber(0) RESCHEDULE_CUTOFF_HOURS = 24;
  @WholeNumber(1) USER_ACTIVITY_RECHECK_MINUTES = 15;
  @WholeNumber(1) USER_ACTIVITY_LIMIT_MINUTES = 120;
  @WholeNumber(1) SIGN_OFF_REMINDER_HOURS = 24;
  @WholeNumber(1) SIGN_OFF_ESCALATION_HOURS = 120;
  @WholeNumber(1) SNAPSHOT_RETENTION_DAYS = 7;
  @WholeNumber(0) MAX_RETENTION_EXTENSION_DAYS = 30;

  // Support hours: slots outside them are possible but carry a surcharge.
  @IsTimeZone({ message: 'SUPPORT_TIME_ZONE must be an IANA time zone such as Europe/Zurich' })
  SUPPORT_TIME_ZONE = 'Europe/Zurich';

  @IsWeekdayList()
  SUPPORT_DAYS = 'Mon-Fri';

  @IsDailyHours()
  SUPPORT_HOURS = '08:00-17:00';

  @IsHolidayRegion()
  SUPPORT_HOLIDAYS = 'CH-ZH';

  // What customers are told and when, per update category (see platform/communication-policy.ts).
  @IsCommunicationPolicy() COMMUNICATION_FEATURE = 'announce>=10d remind=2d,24h confirm';
  @IsCommunicationPolicy() COMMUNICATION_MAINTENANCE = 'announce remind=24h confirm';
  @IsCommunicationPolicy() COMMUNICATION_SERVER = 'remind=24h,30m';
  @IsCommunicationPolicy() COMMUNICATION_SECURITY = 'announce confirm';

  @IsIn(SNAPSHOT_PROVIDERS, { message: `SNAPSHOT_PROVIDER must be one of ${SNAPSHOT_PROVIDERS.join(', ')}` })
  SNAPSHOT_PROVIDER: SnapshotProviderKind = 'none';

  @IsIn(SESSION_PROVIDERS, { message: `SESSION_PROVIDER must be one of ${SESSION_PROVIDERS.join(', ')}` })
  SESSION_PROVIDER: SessionProviderKind = 'none';

  // How the ssh session provider logs in (a key, never a password) and which hosts it trusts.
  @ValidateIf((e: Environment) => e.SESSION_PROVIDER === 'ssh')
  @IsString({ message: 'SSH_PRIVATE_KEY_FILE is required when SESSION_PROVIDER=ssh' })
  SSH_PRIVATE_KEY_FILE?: string;

  @IsOptional() @IsString()
  SSH_PRIVATE_KEY_PASSPHRASE_FILE?: string;

  @ValidateIf((e: Environment) => e.SESSION_PROVIDER === 'ssh')
  @IsString({ message: 'SSH_KNOWN_HOSTS_FILE is required when SESSION_PROVIDER=ssh' })
  SSH_KNOWN_HOSTS_FILE?: string;

  @WholeNumber(1) SSH_CONNECT_ATTEMPTS = 5;
  @WholeNumber(0) SSH_RETRY_DELAY_MS = 5_000;
  @WholeNumber(1) SSH_CONNECT_TIMEOUT_SECONDS = 20;
  @WholeNumber(1) SSH_COMMAND_TIMEOUT_SECONDS = 120;

  @IsString() @MinLength(1)
  HOST_CATALOGUE_DIR = 'catalogue';

  @IsIn(['enforce', 'off'], { message: 'INVENTORY_CHECK must be enforce or off' })
  INVENTORY_CHECK: 'enforce' | 'off' = 'enforce';

  // Payload encryption: parsed after validation (parsePayloadKeys), so each problem names the variable.
  @IsOptional() @IsString()
  PAYLOAD_KEYS?: string;

  @IsOptional() @IsString()
  PAYLOAD_ACTIVE_KEY?: string;

  @WholeNumber(0) ARCHIVE_SWEEP_MINUTES = 10;

  // Histories an audit replays at once, each in a process of its own; 1: in the calling process.
  @WholeNumber(1) AUDIT_REPLAY_CONCURRENCY = availableParallelism();
  // How long a replay lane waits for the next replay before it stops; 0: it stops when its replay ends.
  @WholeNumber(0) AUDIT_REPLAY_LANE_IDLE_SECONDS = 60;

  // 1–28, so that every month has the day; 0 or off: no monthly plan.
  @Matches(/^(off|0|[1-9]|1\d|2[0-8])$/, { message: 'MAINTENANCE_PLAN_DAY must be a day of the month from 1 to 28, or 0/off' })
  MAINTENANCE_PLAN_DAY = '28';
  // The hour (0–23, in the support desk's zone) of the daily support-window check; off: no check.
  @Matches(/^(off|1?\d|2[0-3])$/, { message: 'SUPPORT_WARNING_HOUR must be an hour from 0 to 23, or off' })
  SUPPORT_WARNING_HOUR = '7';
  @WholeNumber(0) TASK_FAILURE_SWEEP_MINUTES = 5;

  @IsString() @MinLength(1)
  WORKER_METRICS_HOST = '127.0.0.1';

  @Transform(({ value }) => toInteger(value)) @IsInt({ message: 'WORKER_METRICS_PORT must be an integer' }) @Min(0) @Max(65535)
  WORKER_METRICS_PORT = 9464;

  // The console: where people open it (sign-in links point there), and its sign-in rules.
  @IsOptional() @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true }, { message: 'CONSOLE_URL must be an http:// or https:// URL' })
  CONSOLE_URL?: string;

  @IsOptional() @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true }, { message: 'TEMPORAL_UI_URL must be an http:// or https:// URL' })
  TEMPORAL_UI_URL?: string;

  @WholeNumber(1) SIGN_IN_LINK_MINUTES = 15;
  @WholeNumber(1) SESSION_HOURS = 12;
  @WholeNumber(1) SIGN_IN_LIMIT_PER_ADDRESS = 5;
  @WholeNumber(1) SIGN_IN_LIMIT_PER_CLIENT = 30;
}

/**
 * The key of development and tests: public, so payloads sealed with it are not secret. Only
 * `npm start` and the tests use it; the worker, the API and the audit command refuse to start
 * without PAYLOAD_KEYS (loadConfig's `requirePayloadKeys`).
 */
export const DEVELOPMENT_PAYLOAD_KEYS = 'dev-1:jVD/r/y3CQ0rdgWFuFH+jqnl3kyQ2EKx46/YGCv2PyI=';

/** An integer variable of at least `min`; its messages name the variable. */
function WholeNumber(min: number): PropertyDecorator {
  return (target, property) => {
    Transform(({ value }) => toInteger(value))(target, property);
    IsInt({ message: `${String(property)} must be an integer` })(target, property);
    Min(min, { message: `${String(property)} must be at least ${min}` })(target, property);
  };
}

function toInteger(value: unknown): unknown {
  return typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
}

export interface AppConfig {
  temporal: { address: string; namespace: string; taskQueue: string; addressGiven: boolean; workflowCacheSize: number };
  database: { url: string; schema: string; urlGiven: boolean };
  mail: { smtpUrl: string; from: string; operationsEmail: string; /** Absent: operations messages go to operations only. */ onCall?: OnCallConfig; smtpUrlGiven: boolean };
  api: { host: string; port: number; trustProxy: string | number | false };
  rateLimits: RateLimitConfig;
  logLevel: string;
  dataDir: string;
  policy: PolicyConfig;
  supportHours: SupportHoursConfig;
  providers: { snapshot: SnapshotProviderKind; session: SessionProviderKind };
  /** Settings of the ssh session provider; the key files are read when the worker builds it. */
  ssh: SshConfig;
  /** The command catalogue's folder, relative paths from the project root. */
  hostCatalogueDir: string;
  /** `enforce`: the API refuses requests naming systems the customer's inventory does not list. */
  inventoryCheck: 'enforce' | 'off';
  /** `developmentKey`: new payloads are sealed with the public DEVELOPMENT_PAYLOAD_KEYS. */
  payloadKeys: PayloadKeyRing & { keysGiven: boolean; developmentKey: boolean };
  /** How often the worker archives closed histories; 0: never (the `audit archive` command does it). */
  archiveSweepMinutes: number;
  /** How many replay lanes an audit replay runs at once; 1: in the calling process. */
  auditReplayConcurrency: number;
  /** How long an idle replay lane is kept for the next replay; 0: stopped when its replay ends. */
  auditReplayLaneIdleMs: number;
  /** The day of the month the worker's schedule mails each customer its plan for the next month; null: never. */
  maintenancePlanDay: number | null;
  /** The hour of the day the worker's schedule warns customers of releases leaving support; null: never. */
  supportWarningHour: number | null;
  /** How often the worker looks for failing workflow tasks; 0: never. */
  taskFailureSweepMinutes: number;
  /** Where the worker serves its Prometheus metrics; port 0: not served. */
  workerMetrics: { host: string; port: number };
  console: ConsoleConfig;
}

/** Who else hears of requests of the given severities (by priority; see workflows/priority.ts). */
export interface OnCallConfig {
  email: string;
  severities: Severity[];
}

/** Requests allowed per window: in general per API key and per address, and for two kinds of route. */
export interface RateLimitConfig {
  windowSeconds: number;
  perKey: number;
  perAddress: number;
  submissions: number;
  mail: number;
}

export interface SshConfig {
  privateKeyFile?: string;
  passphraseFile?: string;
  knownHostsFile?: string;
  connectAttempts: number;
  retryDelayMs: number;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
}

export interface ConsoleConfig {
  /** The console's public origin, no trailing slash: sign-in links point there. */
  url: string;
  /** The Temporal UI, for links to a request's workflow; null when none is known. */
  temporalUiUrl: string | null;
  signInLinkMinutes: number;
  sessionHours: number;
  /** Sign-in requests allowed per address and per client within SIGN_IN_WINDOW_MINUTES. */
  signInLimitPerAddress: number;
  signInLimitPerClient: number;
}

/** The policy's configured numbers; whether providers exist is added by the worker that has them. */
export type PolicyConfig = Omit<UpdatePolicy, 'snapshotProvider' | 'sessionProvider' | 'hostChecks' | 'shortNoticeDecisionHours' | 'responseHours'>
  & Required<Pick<UpdatePolicy, 'responseHours'>>;

export interface SupportHoursConfig extends DailyHours {
  timeZone: string;
  /** ISO weekday numbers, Monday = 1. */
  days: number[];
  /** Whose public holidays close support; null when none are observed. */
  holidays: HolidayRegion | null;
}

/** Local defaults used when a variable is unset; `npm start` replaces them with what it starts. */
export const LOCAL_DEFAULTS = {
  temporalAddress: '127.0.0.1:7233',
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
  smtpUrl: 'smtp://127.0.0.1:2525',
  /** The UI of the dev server `npm start` runs when TEMPORAL_ADDRESS is unset. */
  temporalUiUrl: 'http://127.0.0.1:8233',
} as const;

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigurationError';
  }
}

/**
 * The variables that hold secrets (passwords in URLs, key material). Each can instead be read from
 * the file `<NAME>_FILE` names (container secrets), and a rejected value is never quoted.
 */
export const SECRET_VARIABLES = ['DATABASE_URL', 'SMTP_URL', 'PAYLOAD_KEYS'] as const;

export interface LoadOptions {
  /**
   * Refuse to fall back to the public development key. The worker, the API and the audit command
   * set it; `npm start` passes the development key to them explicitly and says so.
   */
  requirePayloadKeys?: boolean;
}

/** Reads and validates the configuration; throws ConfigurationError naming every bad variable. */
/**
 * Variables a deployment may still set from an earlier version. Ignoring one would silently change
 * a rule it meant to set, so the service refuses to start and says what replaced it.
 */
const RETIRED_VARIABLES: Record<string, string> = {
  SHORT_NOTICE_DECISION_HOURS: 'the short-notice deadline is the request\'s response time, set per severity by RESPONSE_HOURS_BLOCKER, _HIGH, _MAJOR and _MINOR',
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): AppConfig {
  const problems: string[] = [];
  const given = readSecretFiles(Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')), problems);
  const parsed = plainToInstance(Environment, given, { excludeExtraneousValues: false });
  const errors = validateSync(parsed, { whitelist: true, forbidUnknownValues: false });
  problems.push(...errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${m} (${describeRejected(e.property, e.value)})`)));
  for (const [name, replacement] of Object.entries(RETIRED_VARIABLES)) {
    if (given[name] !== undefined) problems.push(`${name} is no longer read: ${replacement}`);
  }
  if (options.requirePayloadKeys && parsed.PAYLOAD_KEYS === undefined) {
    problems.push('PAYLOAD_KEYS (or PAYLOAD_KEYS_FILE) must be set: payloads would be sealed with the public development key. ' +
      'Make a key with: echo "k1:$(openssl rand -base64 32)"');
  }
  const { keys, problems: keyProblems } = parsePayloadKeys(parsed.PAYLOAD_KEYS ?? DEVELOPMENT_PAYLOAD_KEYS);
  problems.push(...keyProblems);
  // The first listed key is active unless PAYLOAD_ACTIVE_KEY names another one.
  const activeKeyId = parsed.PAYLOAD_ACTIVE_KEY ?? [...keys.keys()][0];
  if (keyProblems.length === 0 && !keys.has(activeKeyId)) {
    problems.push(`PAYLOAD_ACTIVE_KEY must name a key in PAYLOAD_KEYS (got ${JSON.stringify(activeKeyId)})`);
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return {
    temporal: {
      address: parsed.TEMPORAL_ADDRESS ?? LOCAL_DEFAULTS.temporalAddress,
      namespace: parsed.TEMPORAL_NAMESPACE,
      taskQueue: parsed.TEMPORAL_TASK_QUEUE,
      addressGiven: parsed.TEMPORAL_ADDRESS !== undefined,
      workflowCacheSize: parsed.WORKFLOW_CACHE_SIZE,
    },
    database: {
      url: parsed.DATABASE_URL ?? LOCAL_DEFAULTS.databaseUrl,
      schema: parsed.DATABASE_SCHEMA,
      urlGiven: parsed.DATABASE_URL !== undefined,
    },
    mail: {
      smtpUrl: parsed.SMTP_URL ?? LOCAL_DEFAULTS.smtpUrl,
      from: parsed.MAIL_FROM,
      operationsEmail: parsed.OPERATIONS_EMAIL,
      ...(parsed.ON_CALL_EMAIL === undefined ? {} : {
        onCall: {
          email: parsed.ON_CALL_EMAIL,
          severities: parsed.ON_CALL_SEVERITIES === 'none' ? [] : parsed.ON_CALL_SEVERITIES.split(',').map((s) => s.trim() as Severity),
        },
      }),
      smtpUrlGiven: parsed.SMTP_URL !== undefined,
    },
    api: { host: parsed.API_HOST, port: parsed.API_PORT, trustProxy: trustProxy(parsed.API_TRUST_PROXY) },
    rateLimits: {
      windowSeconds: parsed.RATE_LIMIT_WINDOW_SECONDS,
      perKey: parsed.RATE_LIMIT_PER_KEY,
      perAddress: parsed.RATE_LIMIT_PER_ADDRESS,
      submissions: parsed.RATE_LIMIT_SUBMISSIONS,
      mail: parsed.RATE_LIMIT_MAIL,
    },
    logLevel: parsed.LOG_LEVEL,
    dataDir: parsed.DATA_DIR,
    // Validation above accepted these strings, so their parsers return values.
    policy: {
      leadTimeDays: parsed.LEAD_TIME_DAYS,
      responseHours: {
        blocker: parsed.RESPONSE_HOURS_BLOCKER,
        high: parsed.RESPONSE_HOURS_HIGH,
        major: parsed.RESPONSE_HOURS_MAJOR,
        minor: parsed.RESPONSE_HOURS_MINOR,
      },
      rescheduleCutoffHours: parsed.RESCHEDULE_CUTOFF_HOURS,
      userActivityRecheckMinutes: parsed.USER_ACTIVITY_RECHECK_MINUTES,
      userActivityLimitMinutes: parsed.USER_ACTIVITY_LIMIT_MINUTES,
      signOffReminderHours: parsed.SIGN_OFF_REMINDER_HOURS,
      signOffEscalationHours: parsed.SIGN_OFF_ESCALATION_HOURS,
      snapshotRetentionDays: parsed.SNAPSHOT_RETENTION_DAYS,
      maxRetentionExtensionDays: parsed.MAX_RETENTION_EXTENSION_DAYS,
      communication: {
        feature: parseCommunicationPolicy(parsed.COMMUNICATION_FEATURE)!,
        maintenance: parseCommunicationPolicy(parsed.COMMUNICATION_MAINTENANCE)!,
        server: parseCommunicationPolicy(parsed.COMMUNICATION_SERVER)!,
        security: parseCommunicationPolicy(parsed.COMMUNICATION_SECURITY)!,
      },
    },
    supportHours: {
      timeZone: parsed.SUPPORT_TIME_ZONE,
      days: parseWeekdays(parsed.SUPPORT_DAYS)!,
      ...parseDailyHours(parsed.SUPPORT_HOURS)!,
      holidays: parseHolidayRegion(parsed.SUPPORT_HOLIDAYS)!,
    },
    providers: { snapshot: parsed.SNAPSHOT_PROVIDER, session: parsed.SESSION_PROVIDER },
    payloadKeys: {
      activeKeyId,
      keys,
      keysGiven: parsed.PAYLOAD_KEYS !== undefined,
      developmentKey: keys.get(activeKeyId)!.equals(parsePayloadKeys(DEVELOPMENT_PAYLOAD_KEYS).keys.get('dev-1')!),
    },
    ssh: {
      privateKeyFile: parsed.SSH_PRIVATE_KEY_FILE,
      passphraseFile: parsed.SSH_PRIVATE_KEY_PASSPHRASE_FILE,
      knownHostsFile: parsed.SSH_KNOWN_HOSTS_FILE,
      connectAttempts: parsed.SSH_CONNECT_ATTEMPTS,
      retryDelayMs: parsed.SSH_RETRY_DELAY_MS,
      connectTimeoutMs: parsed.SSH_CONNECT_TIMEOUT_SECONDS * 1000,
      commandTimeoutMs: parsed.SSH_COMMAND_TIMEOUT_SECONDS * 1000,
    },
    hostCatalogueDir: parsed.HOST_CATALOGUE_DIR,
    inventoryCheck: parsed.INVENTORY_CHECK,
    archiveSweepMinutes: parsed.ARCHIVE_SWEEP_MINUTES,
    auditReplayConcurrency: parsed.AUDIT_REPLAY_CONCURRENCY,
    auditReplayLaneIdleMs: parsed.AUDIT_REPLAY_LANE_IDLE_SECONDS * 1000,
    maintenancePlanDay: ['off', '0'].includes(parsed.MAINTENANCE_PLAN_DAY) ? null : Number(parsed.MAINTENANCE_PLAN_DAY),
    supportWarningHour: parsed.SUPPORT_WARNING_HOUR === 'off' ? null : Number(parsed.SUPPORT_WARNING_HOUR),
    taskFailureSweepMinutes: parsed.TASK_FAILURE_SWEEP_MINUTES,
    workerMetrics: { host: parsed.WORKER_METRICS_HOST, port: parsed.WORKER_METRICS_PORT },
    console: {
      url: (parsed.CONSOLE_URL ?? `http://${parsed.API_HOST}:${parsed.API_PORT}`).replace(/\/+$/, ''),
      temporalUiUrl: parsed.TEMPORAL_UI_URL?.replace(/\/+$/, '') ?? (parsed.TEMPORAL_ADDRESS === undefined ? LOCAL_DEFAULTS.temporalUiUrl : null),
      signInLinkMinutes: parsed.SIGN_IN_LINK_MINUTES,
      sessionHours: parsed.SESSION_HOURS,
      signInLimitPerAddress: parsed.SIGN_IN_LIMIT_PER_ADDRESS,
      signInLimitPerClient: parsed.SIGN_IN_LIMIT_PER_CLIENT,
    },
  };
}

/**
 * Replaces each `<NAME>_FILE` of a secret variable by the file's content (without its final line
 * break). Problems name the variable and the file, never the content.
 */
function readSecretFiles(given: Record<string, string>, problems: string[]): Record<string, string> {
  const resolved = { ...given };
  for (const name of SECRET_VARIABLES) {
    const file = given[`${name}_FILE`];
    if (file === undefined) continue;
    delete resolved[`${name}_FILE`];
    if (given[name] !== undefined) {
      problems.push(`${name} and ${name}_FILE are both set: set only one`);
      continue;
    }
    try {
      const content = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
      if (content.trim() === '') problems.push(`${name}_FILE names an empty file (${file})`);
      else resolved[name] = content;
    } catch (err) {
      problems.push(`${name}_FILE names a file that cannot be read (${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  return resolved;
}

/** What a problem quotes of a rejected value: the value itself, but of a secret at most its scheme. */
function describeRejected(variable: string, value: unknown): string {
  if (!(SECRET_VARIABLES as readonly string[]).includes(variable)) return `got ${JSON.stringify(value)}`;
  const scheme = typeof value === 'string' ? /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1] : undefined;
  return scheme ? `got a ${scheme}: value, not shown as it may hold a secret` : 'the value is not shown as it may hold a secret';
}

/** Express's `trust proxy` setting: a hop count, a list of addresses, or off. */
function trustProxy(value: string | undefined): string | number | false {
  if (value === undefined) return false;
  return /^\d+$/.test(value) ? Number(value) : value;
}
