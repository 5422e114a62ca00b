import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020';

const DIR = resolve('schemas');
const BASE = 'https://crmt-lab.invalid/schemas/';

/** A validator for one of the repository's JSON Schemas, with the others loaded for its $refs. */
export function validatorFor(name: 'result' | 'metrics'): ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  for (const f of readdirSync(DIR).filter((f) => f.endsWith('.schema.json')))
    ajv.addSchema(JSON.parse(readFileSync(join(DIR, f), 'utf8')));
  return ajv.getSchema(`${BASE}${name}.schema.json`)!;
}

/** The validator's errors in one readable line each, so a failing test says what is wrong. */
export function problems(validate: ValidateFunction, data: unknown): string[] {
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}
