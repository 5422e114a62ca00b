import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { format } from 'prettier';

/** docs/LOCAL-BOUND.md, whose cost (§7) and tightness (§8) tables the tightness bench writes. */
const DOC = fileURLToPath(new URL('../../../docs/LOCAL-BOUND.md', import.meta.url));

/** Replaces the text between `<!-- name -->` and `<!-- /name -->`; a doc without the markers is an error, not a silent no-op. */
function between(doc: string, name: string, body: string): string {
  const open = `<!-- ${name} -->`;
  const close = `<!-- /${name} -->`;
  const a = doc.indexOf(open);
  const b = doc.indexOf(close);
  if (a < 0 || b < a) throw new Error(`${DOC}: the markers ${open} … ${close} are missing.`);
  return doc.slice(0, a + open.length) + '\n\n' + body + '\n\n' + doc.slice(b);
}

/**
 * Writes both tables with the run's provenance under each, formatted as prettier --check expects:
 * the lab's default bound into §7 and §8, its thorough setting (a budget) into one block of §8.
 */
export async function writeDocTables(
  tables: { tightness: string[]; cost: string[] },
  provenance: string,
  block: 'default' | 'budget' = 'default',
) {
  let doc = await readFile(DOC, 'utf8');
  if (block === 'budget')
    doc = between(
      doc,
      'local-bound-tightness-budget',
      `${tables.tightness.join('\n')}\n\n${tables.cost.join('\n')}\n\n(${provenance}.)`,
    );
  else {
    doc = between(doc, 'local-bound-cost', `${tables.cost.join('\n')}\n\n(${provenance}.)`);
    doc = between(doc, 'local-bound-tightness', `${tables.tightness.join('\n')}\n\n(${provenance}.)`);
  }
  await writeFile(DOC, await format(doc, { parser: 'markdown', singleQuote: true, printWidth: 120 }));
  return DOC;
}
