import type { Param, ParamValue } from './paramTypes';

/**
 * Reading and writing one parameter's value: from what a person types (settings panel, URL, CLI
 * flag), from a JSON file, and back to text. Every reader returns the value or one plain sentence
 * saying what is wrong; the caller names the place (the field, the flag, the JSON path).
 */
export type Parsed = { ok: true; value: ParamValue } | { ok: false; error: string };

const ok = (value: ParamValue): Parsed => ({ ok: true, value });
const bad = (error: string): Parsed => ({ ok: false, error });

/** Plain decimals with an optional exponent (1e-3, .5, -2): no hex, no Infinity, no empty string. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const AUTO = /^(auto|)$/i;
/** A decimal comma, as many people type it: "0,5", "-2,25e-3". */
const DECIMAL_COMMA = /^([+-]?)(\d+),(\d+)(e[+-]?\d+)?$/i;

/**
 * One number as typed. A single comma between digits is a decimal comma ("0,5" is 0.5), except
 * where it could as well group thousands ("1,500": 1.5 or 1500?), which is refused with both
 * readings rather than guessed. Lists never get here: there a comma separates values.
 */
export function readNumber(text: string): number | string {
  const comma = DECIMAL_COMMA.exec(text);
  if (comma) {
    const [, sign, whole, fraction, exponent = ''] = comma;
    if (!/^0+$/.test(whole) && fraction.length === 3 && !exponent)
      return `"${text}" could mean ${sign}${whole}.${fraction} or ${sign}${whole}${fraction}: write it with a point, or without the comma`;
    return Number(`${sign}${whole}.${fraction}${exponent}`);
  }
  return DECIMAL.test(text) ? Number(text) : `"${text}" is not a number`;
}

function rangeError(p: Param & { min?: number; max?: number }, x: number, what: string): string | null {
  if (p.type === 'int' || p.type === 'intList') if (!Number.isInteger(x)) return `${what} ${x} is not a whole number`;
  if (p.min !== undefined && x < p.min) return `${what} ${x} is below the minimum ${p.min}`;
  if (p.max !== undefined && x > p.max) return `${what} ${x} is above the maximum ${p.max}`;
  return null;
}

function checkNumber(p: Param & { min?: number; max?: number }, x: number, what = ''): Parsed {
  const e = rangeError(p, x, what);
  return e ? bad(e.trim()) : ok(x);
}

function checkList(p: Param, xs: readonly (number | string)[]): Parsed {
  if (p.type !== 'intList' && p.type !== 'numberList' && p.type !== 'nameList') return bad('not a list');
  if (xs.length < p.minLength)
    return bad(p.minLength === 1 ? 'needs at least one value' : `needs at least ${p.minLength} values`);
  if (xs.length > p.maxLength) return bad(`has ${xs.length} values; at most ${p.maxLength}`);
  if (p.type !== 'nameList')
    for (const x of xs) {
      const e = rangeError(p, x as number, 'value');
      if (e) return bad(e);
    }
  return ok(xs);
}

/** What a person typed: "0.01", "1e-3", "0,5", "64-32", "64, 32", "auto", "true". */
export function parseText(p: Param, raw: string): Parsed {
  const text = raw.trim();
  switch (p.type) {
    case 'int':
    case 'number': {
      if (p.nullable && AUTO.test(text)) return ok(null);
      const x = readNumber(text);
      if (typeof x === 'string') return bad(`${x}${p.nullable ? ' (or auto)' : ''}`);
      return checkNumber(p, x);
    }
    case 'enum': {
      const v = p.options.includes(text) ? text : p.aliases?.[text];
      return v ? ok(v) : bad(`"${raw}" is not one of ${p.options.join(', ')}`);
    }
    case 'bool':
      if (/^(true|yes|1|on)$/i.test(text)) return ok(true);
      if (/^(false|no|0|off)$/i.test(text)) return ok(false);
      return bad(`"${raw}" is not true or false`);
    case 'intList':
    case 'numberList': {
      // Widths read as 64-32 as well as 64,32 or 64 32; list values are never negative, so a '-'
      // separates (except inside an exponent: 1e-3).
      const parts = text === '' ? [] : text.split(/[\s,;]+|(?<![eE])[-–]/).filter(Boolean);
      const bad1 = parts.find((s) => !DECIMAL.test(s));
      if (bad1 !== undefined) return bad(`"${bad1}" is not a number`);
      return checkList(p, parts.map(Number));
    }
    case 'nameList':
      return checkList(
        p,
        text
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      );
  }
}

/** A value from a JSON file: the JSON type must be the parameter's (no "0.01" strings for numbers). */
export function parseJson(p: Param, v: unknown): Parsed {
  switch (p.type) {
    case 'int':
    case 'number':
      if (v === null && p.nullable) return ok(null);
      if (typeof v !== 'number' || !Number.isFinite(v))
        return bad(`${JSON.stringify(v)} is not a number${p.nullable ? ' (or null for auto)' : ''}`);
      return checkNumber(p, v);
    case 'enum':
      return typeof v === 'string'
        ? parseText(p, v)
        : bad(`${JSON.stringify(v)} is not one of ${p.options.join(', ')}`);
    case 'bool':
      return typeof v === 'boolean' ? ok(v) : bad(`${JSON.stringify(v)} is not true or false`);
    case 'intList':
    case 'numberList':
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isFinite(x)))
        return bad(`${short(v)} is not a list of numbers`);
      return checkList(p, v as number[]);
    case 'nameList':
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return bad(`${short(v)} is not a list of names`);
      return checkList(p, v as string[]);
  }
}

const short = (v: unknown) => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
};

/** The value as a person would type it (and as the URL carries it). */
export function formatText(p: Param, v: ParamValue): string {
  if (v === null) return 'auto';
  if (Array.isArray(v)) return v.join(p.type === 'intList' ? '-' : ',');
  return String(v);
}
