import { parseJson, parseText } from '../../src/core/params/paramCodec';
import { PARAMS } from '../../src/core/params/paramTable';

/**
 * `npx tsx tests/parity/parseValues.ts CASES.json`, CASES a list of [path, "text" | "json", value]: each
 * value read through the parameter table as typed (a CLI flag) or as found in a JSON file, printed as one
 * JSON list of {ok, value} or {ok, error}. python/tests/test_lab_cli.py compares the Python reader with it.
 */
const cases = JSON.parse(process.argv[2]) as [string, 'text' | 'json', unknown][];
console.log(
  JSON.stringify(
    cases.map(([path, how, v]) => {
      const p = PARAMS.find((q) => q.path === path)!;
      return how === 'text' ? parseText(p, v as string) : parseJson(p, v);
    }),
  ),
);
