export interface WaitForOptions {
  /** Give up after this long, in real milliseconds (default 10 000). */
  readonly timeoutMs?: number;
  /** Poll interval, in real milliseconds (default 10). */
  readonly intervalMs?: number;
  /** Said in the error when it times out. */
  readonly description?: string;
}

/**
 * Polls `condition` until it returns a truthy value, and returns it. For conditions no event
 * announces (a process gone, a port closed); prefer events where there are some.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  options: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 10;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const what = options.description ?? 'condition';
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The subset of an orchestrator that `waitForState` needs (structural, so no import of core). */
export interface StateSource {
  getServiceInfo(name: string): { readonly state: string };
}

/** Waits until service `name` is in `state` (real time; see `waitFor`). */
export async function waitForState(
  source: StateSource,
  name: string,
  state: string,
  options: WaitForOptions = {},
): Promise<void> {
  let last = '';
  try {
    await waitFor(() => {
      last = source.getServiceInfo(name).state;
      return last === state;
    }, options);
  } catch (error) {
    const timeoutMs = options.timeoutMs ?? 10_000;
    throw new Error(
      `timed out after ${timeoutMs} ms waiting for service '${name}' to be ${state} (it is ${last || 'unknown'})`,
      { cause: error },
    );
  }
}
