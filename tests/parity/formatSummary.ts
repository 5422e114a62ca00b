import { readFileSync } from 'node:fs';
import { formatSummary } from '../../src/cli/summary';

/** `npx tsx tests/parity/formatSummary.ts RESULT.json`: the lab's terminal summary of a result file (python/tests compare theirs). */
console.log(formatSummary(JSON.parse(readFileSync(process.argv[2], 'utf8'))));
