import Ajv2020 from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { prepareDataset } from '../../src/core/data/prepare';
import { exportModel } from '../../src/core/io/exportModel';
import { experimentToJson } from '../../src/core/params/experimentJson';
import { experimentSchema } from '../../src/core/params/experimentSchema';
import { Trainer } from '../../src/core/train/trainer';

const read = (name: string) => JSON.parse(readFileSync(`schemas/${name}`, 'utf8'));

function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addSchema(read('experiment.schema.json'), 'experiment.schema.json');
  return { experiment: ajv.getSchema('experiment.schema.json')!, model: ajv.compile(read('model-config.schema.json')) };
}

describe('the JSON Schemas of the experiment and the model config', () => {
  it('schemas/experiment.schema.json is what the parameter table generates (npm run schemas)', () => {
    expect(read('experiment.schema.json')).toEqual(JSON.parse(JSON.stringify(experimentSchema())));
  });

  it("validate the page's Config JSON, and refuse what the lab would refuse", () => {
    const { experiment } = validator();
    const other: ExperimentConfig = structuredClone(DEFAULT_CONFIG);
    other.train.method = 'crmt-at';
    other.train.step2.epochs = 4;
    other.model.encoder = 'cnn-for-images';
    for (const c of [DEFAULT_CONFIG, other])
      expect(experiment(experimentToJson(c)), JSON.stringify(experiment.errors)).toBe(true);
    const bad = experimentToJson(DEFAULT_CONFIG) as unknown as { train: { batchSize: number; extra?: number } };
    bad.train.batchSize = 0;
    expect(experiment(bad)).toBe(false);
    bad.train.batchSize = 64;
    bad.train.extra = 1;
    expect(experiment(bad)).toBe(false);
  });

  it("validate a real model's config.json, written by the export", async () => {
    const config: ExperimentConfig = {
      ...DEFAULT_CONFIG,
      data: { ...DEFAULT_CONFIG.data, toy2d: { ...DEFAULT_CONFIG.data.toy2d, samples: 200 } },
      train: { ...DEFAULT_CONFIG.train, method: 'crmt-jt', epochs: 1, liveEvaluation: false },
    };
    const { data, stats } = prepareDataset(config);
    const trainer = new Trainer(data, config);
    try {
      await trainer.advance(1);
      const files = await exportModel(trainer.model, {
        dataset: data.name,
        modalities: data.modalities,
        classes: data.classNames,
        experiment: config,
        standardisation: stats,
      });
      const { model } = validator();
      const json = JSON.parse(new TextDecoder().decode(files['config.json']));
      expect(model(json), JSON.stringify(model.errors)).toBe(true);
      expect(model({ ...json, version: 1 })).toBe(false);
    } finally {
      trainer.dispose();
    }
  });
});
