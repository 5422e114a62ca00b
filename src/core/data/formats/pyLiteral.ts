/** The values of a Python literal as NumPy writes them in an NPY header. */
export type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

const MAX_NESTING = 32;

/**
 * Just the Python literals NumPy writes in a header: dicts, tuples, lists, strings, integers,
 * True/False/None; nested at most MAX_NESTING deep, so a hostile header cannot exhaust the stack.
 */
export function parsePyLiteral(text: string): PyValue {
  let i = 0;
  let depth = 0;
  const atom = /(?:(-?\d+)L?|(True|False|None))(?![\w.])/y;
  const fail = (what: string): never => {
    throw new Error(i >= text.length ? 'it ends too early' : `${what} at character ${i + 1}`);
  };
  const skipSpace = (): void => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const value = (): PyValue => {
    skipSpace();
    const c = text[i];
    if (c === '{' || c === '(' || c === '[') {
      if (++depth > MAX_NESTING) fail(`nesting deeper than ${MAX_NESTING} levels`);
      const v = c === '{' ? dict() : sequence(c === '(' ? ')' : ']');
      depth--;
      return v;
    }
    if (c === "'" || c === '"') return string(c);
    // Python 2 wrote longs with an L suffix: (3L, 4L).
    atom.lastIndex = i;
    const m = atom.exec(text);
    if (!m) return fail(`unexpected "${c}"`);
    i += m[0].length;
    if (m[1] !== undefined) {
      const n = Number(m[1]);
      return Number.isSafeInteger(n) ? n : fail('integer too large');
    }
    return m[2] === 'True' ? true : m[2] === 'False' ? false : null;
  };
  const string = (quote: string): string => {
    let out = '';
    for (i++; i < text.length && text[i] !== quote; i++) out += text[i] === '\\' ? text[++i] : text[i];
    if (i >= text.length) fail('unterminated string');
    i++;
    return out;
  };
  // Items until `close`, comma-separated, a trailing comma allowed as in Python.
  const items = (close: string, item: () => void): void => {
    i++;
    for (;;) {
      skipSpace();
      if (text[i] === close) break;
      item();
      skipSpace();
      if (text[i] === ',') i++;
      else if (text[i] !== close) fail(`expected "," or "${close}"`);
    }
    i++;
  };
  const sequence = (close: string): PyValue[] => {
    const out: PyValue[] = [];
    items(close, () => out.push(value()));
    return out;
  };
  const dict = (): { [key: string]: PyValue } => {
    // No prototype: a key named __proto__ is a key like any other.
    const out: { [key: string]: PyValue } = Object.create(null);
    items('}', () => {
      const key = value();
      if (typeof key !== 'string') fail('dictionary keys must be strings');
      skipSpace();
      if (text[i] !== ':') fail('expected ":"');
      i++;
      out[key as string] = value();
    });
    return out;
  };
  const result = value();
  skipSpace();
  if (i < text.length) fail('unexpected text after the dictionary');
  return result;
}
