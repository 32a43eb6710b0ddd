/** Source of "now" in Unix milliseconds; tests pass their own to control time. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
