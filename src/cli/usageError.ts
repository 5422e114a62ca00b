/** A mistake in the command line: printed with the usage hint, exit status 2 (as POSIX tools do). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Runs a CLI's main: exit 2 for a usage error, 1 for anything else, with a one-line message. */
export function runMain(main: () => Promise<void>, usageHint: string): void {
  main().catch((e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    console.error(`error: ${message}`);
    if (e instanceof UsageError) {
      console.error(usageHint);
      process.exit(2);
    }
    process.exit(1);
  });
}
