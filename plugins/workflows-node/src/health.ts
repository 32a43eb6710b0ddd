/**
 * How a variable's value must look. The health page says whether it does,
 * never what the value is.
 * - `url`: an http or https URL.
 * - `https-url`: https, or plain http only to this machine (a local stand-in).
 * - `postgres-url`: a `postgres://` or `postgresql://` connection URL.
 * - `numeric-id`: digits only.
 * - `token`: one word, without spaces, quotes or line breaks (a pasted
 *   credential that picked up any of them never works).
 * - `telegram-bot-token`: `<bot id>:<secret>`.
 * - `telegram-chat-id`: `@channelname` or a numeric chat id (may be negative).
 * - `prefix:<p>`: a token that starts with `<p>`, e.g. `prefix:sig_`.
 */
export type EnvVarFormat =
  | 'url'
  | 'https-url'
  | 'postgres-url'
  | 'numeric-id'
  | 'token'
  | 'telegram-bot-token'
  | 'telegram-chat-id'
  | `prefix:${string}`;

/** One environment variable a runner reads, with what its value must look like. */
export interface EnvVarDeclaration {
  name: string;
  format?: EnvVarFormat;
  /** The runner works without it; checked only when set. */
  optional?: boolean;
  /**
   * False for values that are not secret (ids, channel names). Secret values
   * are removed from every probe message as a last line of defence. Default true.
   */
  secret?: boolean;
  /** What to do when it is missing or invalid; default "set <name>". */
  fix?: string;
  /**
   * A config key that supplies the same value, such as
   * `workflows.qstash.token` for `QSTASH_TOKEN`: the variable counts as set
   * when either is, and the health page says which one supplies it.
   */
  configKey?: string;
}

/** What a live check concluded. */
export type HealthProbeVerdict = 'ok' | 'warning' | 'failing' | 'not-probed';

/** A probe's finding, in words that hold no secret. */
export interface HealthProbeOutcome {
  verdict: HealthProbeVerdict;
  /** "bot @sgcarstrends_bot"; for `not-probed`, why not: "not probed: dry run". */
  message: string;
  /** What to do when the verdict is not ok. */
  fix?: string;
}

/** What the host hands a probe each time it runs. */
export interface HealthProbeContext {
  /** Aborted when the probe's time is up: pass it to every request it makes. */
  signal: AbortSignal;
  /** The caller asked to probe social platforms even in dry run. */
  probePlatforms: boolean;
}

/**
 * A live check of something a workflow depends on (a database, an API
 * token, a download). The host times it out, measures it, caches the result
 * and removes secrets from what it says.
 */
export interface HealthProbe {
  /** Stable id: `database`, `lta-source`, `telegram`, ... */
  id: string;
  /** "Telegram credentials (getMe)". */
  title: string;
  /** Resolves to a finding; a thrown error counts as failing. */
  probe(context: HealthProbeContext): Promise<HealthProbeOutcome>;
}
