import { writeFile } from 'node:fs/promises';
import { experimentSchema } from '../core/params/experimentSchema';

/** `npm run schemas`: writes the schemas generated from the code (the parameter table) into schemas/. */
await writeFile('schemas/experiment.schema.json', JSON.stringify(experimentSchema(), null, 2) + '\n');
console.log('wrote schemas/experiment.schema.json');
