// The one bounded wait of the tests: poll a condition until it holds or the time is up.

export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000, everyMs = 100): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
