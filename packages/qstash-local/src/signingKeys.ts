import { newSigningKey, newToken } from './ids';
import { MetaStore } from './store/metaStore';

const CURRENT_KEY = 'signing.current';
const NEXT_KEY = 'signing.next';
const TOKEN_KEY = 'auth.token';

/** The current and next signing keys, kept in the data file so restarts keep them. */
export class SigningKeys {
  private currentKey: string;
  private nextKey: string;

  constructor(
    private readonly meta: MetaStore,
    configured: { current?: string; next?: string },
  ) {
    this.currentKey =
      configured.current ?? meta.get(CURRENT_KEY) ?? newSigningKey();
    this.nextKey = configured.next ?? meta.get(NEXT_KEY) ?? newSigningKey();
    this.persist();
  }

  get current(): string {
    return this.currentKey;
  }

  get next(): string {
    return this.nextKey;
  }

  /** The next key becomes current and a fresh next key is made, as in QStash. */
  rotate(): { current: string; next: string } {
    this.currentKey = this.nextKey;
    this.nextKey = newSigningKey();
    this.persist();
    return { current: this.currentKey, next: this.nextKey };
  }

  private persist(): void {
    this.meta.set(CURRENT_KEY, this.currentKey);
    this.meta.set(NEXT_KEY, this.nextKey);
  }
}

/** The API token: the configured one, else the one stored, else a new one. */
export function resolveToken(
  meta: MetaStore,
  configured: string | undefined,
): string {
  const token = configured ?? meta.get(TOKEN_KEY) ?? newToken();
  meta.set(TOKEN_KEY, token);
  return token;
}
