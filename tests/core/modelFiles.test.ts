import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { DataError } from '../../src/core/data/dataError';
import { prepareDataset } from '../../src/core/data/prepare';
import { exportModel, importModel } from '../../src/core/io/exportModel';
import { modelFiles } from '../../src/core/io/modelFiles';
import { Trainer } from '../../src/core/train/trainer';

async function exported() {
  const prepared = prepareDataset(DEFAULT_CONFIG);
  const trainer = new Trainer(prepared.data, DEFAULT_CONFIG);
  const files = await exportModel(trainer.model, {
    dataset: prepared.data.name,
    modalities: prepared.data.modalities,
    classes: prepared.data.classNames,
    experiment: DEFAULT_CONFIG,
    standardisation: prepared.stats,
  });
  const params = new Map([...trainer.model.params].map(([k, v]) => [k, [...v.dataSync()]]));
  trainer.dispose();
  return { files, params };
}

const bytes = (s: string) => new TextEncoder().encode(s);

describe('modelFiles: the files of a model as the user picked them', () => {
  it('takes the ZIP the page downloads (files in a folder, macOS litter alongside) and rebuilds the same weights', async () => {
    const { files, params } = await exported();
    const zip = zipSync({
      ...Object.fromEntries(Object.entries(files).map(([k, v]) => [`toy-2d-jt-seed1/${k}`, v])),
      '__MACOSX/toy-2d-jt-seed1/._config.json': bytes('resource fork'),
    });
    const picked = modelFiles([{ path: 'toy-2d-jt-seed1.zip', bytes: zip }]);
    expect(Object.keys(picked).sort()).toEqual(Object.keys(files).sort());
    expect(Object.keys(picked)).toContain('model.safetensors');
    const { model } = importModel(picked);
    for (const [name, values] of params) expect([...model.params.get(name)!.dataSync()]).toEqual(values);
    model.dispose();
  });

  it('takes loose files by their bare names', async () => {
    const { files } = await exported();
    const picked = modelFiles([
      { path: 'config.json', bytes: files['config.json'] },
      { path: 'model.safetensors', bytes: files['model.safetensors'] },
    ]);
    expect(Object.keys(picked).sort()).toEqual(['config.json', 'model.safetensors']);
    expect(picked['model.safetensors']).toEqual(files['model.safetensors']);
  });

  it('refuses a file named .zip that is not one, naming it', () => {
    const bad = () => modelFiles([{ path: 'x.zip', bytes: bytes('just some text') }]);
    expect(bad).toThrow(DataError);
    expect(bad).toThrow(/^x\.zip is not a readable ZIP archive/);
  });
});
