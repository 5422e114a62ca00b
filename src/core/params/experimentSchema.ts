import { EXPERIMENT_FORMAT, EXPERIMENT_VERSION } from './experimentJson';
import { SETTINGS_PARAMS } from './paramTable';
import type { Param } from './paramTypes';

type Schema = Record<string, unknown>;

/** One parameter's JSON Schema: its JSON type, range or options, and its help as the description. */
function leafSchema(p: Param): Schema {
  const description = p.help;
  switch (p.type) {
    case 'int':
    case 'number': {
      const t = p.type === 'int' ? 'integer' : 'number';
      return { description, type: p.nullable ? [t, 'null'] : t, minimum: p.min, maximum: p.max };
    }
    case 'enum':
      return { description, enum: [...p.options] };
    case 'bool':
      return { description, type: 'boolean' };
    case 'intList':
    case 'numberList':
      return {
        description,
        type: 'array',
        items: { type: p.type === 'intList' ? 'integer' : 'number', minimum: p.min, maximum: p.max },
        minItems: p.minLength,
        maxItems: p.maxLength,
      };
    case 'nameList':
      return { description, type: 'array', items: { type: 'string' }, minItems: p.minLength, maxItems: p.maxLength };
  }
}

/**
 * The JSON Schema (draft 2020-12) of the experiment file, generated from the parameter table so it
 * cannot drift from what the lab writes and reads (schemas/experiment.schema.json is this, committed).
 */
export function experimentSchema(): Schema {
  const root: Schema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://crmt-lab.invalid/schemas/experiment.schema.json',
    title: 'CRMT Lab experiment',
    description:
      "An experiment as the page's Config JSON and `npm run experiment -- --config` read it; missing settings take their defaults.",
    type: 'object',
    properties: {
      format: { const: EXPERIMENT_FORMAT },
      version: { type: 'integer', minimum: 1, maximum: EXPERIMENT_VERSION },
    },
    required: ['format', 'version'],
    additionalProperties: false,
  };
  for (const p of SETTINGS_PARAMS) {
    const keys = p.path.split('.');
    let node = root;
    for (const k of keys.slice(0, -1)) {
      const props = node.properties as Schema;
      node = (props[k] ??= { type: 'object', properties: {}, additionalProperties: false }) as Schema;
    }
    (node.properties as Schema)[keys.at(-1)!] = leafSchema(p);
  }
  const data = (root.properties as Schema).data as { properties: Schema };
  data.properties.uploadName = { description: 'The uploaded dataset the experiment ran on (a label).', type: 'string' };
  return root;
}
