import type { ModalitySpec } from '../../data/dataset';
import type { Standardisation } from '../../data/standardise';
import type { MultiModalModel } from '../../model/model';
import { layersModelFiles } from './layersModel';
import { onnxModelFile, ONNX_FILE } from './onnxModel';
import { portableModel, type Weight } from './portableModel';
import { modelReadme } from './snippets';
import { TORCH_LOADER_FILE, TORCH_LOADER_SOURCE } from './torchLoader';

/**
 * The export's files for other tools: the TensorFlow.js Layers model, model.onnx,
 * crmt_lab_model.py and README.txt with the snippets. Loaded on the first export only (exportModel
 * imports this module dynamically), so the worker starts without the writers.
 */
export async function interopFiles(
  model: MultiModalModel,
  params: ReadonlyMap<string, Weight>,
  meta: { modalities: ModalitySpec[]; classes: string[]; standardisation: Standardisation; method: string },
  version: string,
): Promise<Record<string, Uint8Array>> {
  const portable = await portableModel(
    model,
    params,
    meta.standardisation,
    meta.modalities.map((m) => m.name),
    meta.classes,
  );
  return {
    ...layersModelFiles(portable, `crmt-lab ${version}`),
    [ONNX_FILE]: onnxModelFile(portable, 'crmt-lab', version),
    [TORCH_LOADER_FILE]: new TextEncoder().encode(TORCH_LOADER_SOURCE),
    'README.txt': new TextEncoder().encode(
      modelReadme({ modalities: meta.modalities, classes: meta.classes }, meta.method),
    ),
  };
}
