/** Polls `read` in real time (seconds at most) until `check` accepts its answer: for outside processes, never for workflow time. */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string, limitMs = 10_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
