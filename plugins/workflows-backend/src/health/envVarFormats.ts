import type { EnvVarFormat } from '@internal/plugin-workflows-node';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** Spaces, quotes or line breaks: what a credential picks up when pasted badly. */
const NOT_ONE_WORD = /[\s"'`]/;

/**
 * Why `value` does not have the format, in words that hold no part of the
 * value; undefined when it does.
 */
export function formatProblem(
  format: EnvVarFormat,
  value: string,
): string | undefined {
  switch (format) {
    case 'url': {
      const url = parseUrl(value);
      if (!url) return 'not a URL';
      return ['http:', 'https:'].includes(url.protocol)
        ? undefined
        : 'not an http or https URL';
    }
    case 'https-url': {
      const url = parseUrl(value);
      if (!url) return 'not a URL';
      if (url.protocol === 'https:') return undefined;
      return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)
        ? undefined
        : 'not an https URL (plain http only to 127.0.0.1 or localhost)';
    }
    case 'postgres-url': {
      const url = parseUrl(value);
      if (!url) return 'not a URL';
      return ['postgres:', 'postgresql:'].includes(url.protocol)
        ? undefined
        : 'not a postgres:// or postgresql:// URL';
    }
    case 'numeric-id':
      return /^\d+$/.test(value) ? undefined : 'not a numeric id (digits only)';
    case 'token':
      return NOT_ONE_WORD.test(value)
        ? 'contains spaces, quotes or line breaks'
        : undefined;
    case 'telegram-bot-token':
      return /^\d+:[A-Za-z0-9_-]+$/.test(value)
        ? undefined
        : 'not a bot token of the form <bot id>:<secret>';
    case 'telegram-chat-id':
      return /^(@[A-Za-z][A-Za-z0-9_]{3,}|-?\d+)$/.test(value)
        ? undefined
        : 'not @channelname or a numeric chat id';
    default: {
      // Only `prefix:<p>` is left; a module written in plain JS may pass anything.
      if (!format.startsWith('prefix:')) {
        return `has a format this backend does not know ("${format}")`;
      }
      const prefix = format.slice('prefix:'.length);
      if (!value.startsWith(prefix)) return `does not start with "${prefix}"`;
      return NOT_ONE_WORD.test(value)
        ? 'contains spaces, quotes or line breaks'
        : undefined;
    }
  }
}
