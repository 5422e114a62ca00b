import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usageError';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandLine {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * Reads a command's arguments with node:util parseArgs. `-h`/`--help` prints `usage` and returns
 * null, so the command does no work; anything parseArgs refuses becomes a UsageError (exit 2).
 */
export function commandLine(
  argv: string[],
  spec: { options: Options; usage: string; positionals?: { min: number; max: number } },
): CommandLine | null {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...spec.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: spec.positionals !== undefined,
    });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, '.'));
  }
  if (parsed.values.help) {
    console.log(spec.usage);
    return null;
  }
  const positionals = parsed.positionals ?? [];
  const p = spec.positionals;
  if (p && (positionals.length < p.min || positionals.length > p.max))
    throw new UsageError(
      `expected ${p.min === p.max ? p.min : `${p.min} to ${p.max}`} arguments, got ${positionals.length}${positionals.length ? ` (${positionals.join(' ')})` : ''}.`,
    );
  return { values: parsed.values as CommandLine['values'], positionals };
}

/** One of `allowed`, or a UsageError naming the flag. */
export function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`${flag}: "${value}" is not one of ${allowed.join(', ')}.`);
  return value as T;
}
