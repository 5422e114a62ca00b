import { writeFile } from 'node:fs/promises';
import { experimentSchema } from '../core/params/experimentSchema';
import { pythonParamTable } from './pythonParamTable';

/** `npm run schemas`: writes what is generated from the code (the parameter table): the experiment's schema, and the table for the Python engine. */
await writeFile('schemas/experiment.schema.json', JSON.stringify(experimentSchema(), null, 2) + '\n');
console.log('wrote schemas/experiment.schema.json');
await writeFile('python/crmt_lab/param_table.json', JSON.stringify(pythonParamTable(), null, 2) + '\n');
console.log('wrote python/crmt_lab/param_table.json');
