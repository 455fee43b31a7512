// Polls a condition until it holds, failing with what was awaited: for
// effects that happen in the background (a camera's frames, a scheduled job).
export async function waitUntil(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 10_000, pollMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
