import { inputNames } from './inputNames';

/** What the snippets need to know of a model: its modalities (name, shape) and classes. */
export interface SnippetModel {
  modalities: { name: string; shape: number[] }[];
  classes: string[];
}

export interface Snippet {
  id: 'tfjs' | 'onnx-web' | 'onnx-python' | 'pytorch';
  title: string;
  language: 'javascript' | 'python';
  code: string;
}

interface Input {
  name: string;
  modality: string;
  features: number;
  shape: number[];
}

const inputsOf = (m: SnippetModel): Input[] => {
  const names = inputNames(m.modalities.map((x) => x.name));
  return m.modalities.map((x, i) => ({
    name: names[i],
    modality: x.name,
    shape: x.shape,
    features: x.shape.reduce((a, b) => a * b, 1),
  }));
};

const layout = (i: Input) =>
  i.shape.length > 1
    ? `${i.modality}: [n, ${i.features}] = [${i.shape.join('×')}] rows, row-major (channels last)`
    : `${i.modality}: [n, ${i.features}]`;

/** A JavaScript or Python identifier for modality i's data. */
const variable = (i: Input) => `x_${i.name}`;

/**
 * Copy-paste code that loads an exported model (the folder `dir`) in TensorFlow.js, ONNX Runtime
 * (web and Python) and PyTorch, with the model's own input names and shapes. Inputs are raw
 * values: every format standardises them inside.
 */
export function loadingSnippets(model: SnippetModel, dir = 'model'): Snippet[] {
  const inputs = inputsOf(model);
  const K = model.classes.length;
  const shapes = inputs.map((i) => `//   ${layout(i)}`).join('\n');
  const pyShapes = inputs.map((i) => `#   ${layout(i)}`).join('\n');
  const classes = JSON.stringify(model.classes);
  return [
    {
      id: 'tfjs',
      title: 'TensorFlow.js (Layers model)',
      language: 'javascript',
      code: [
        `import * as tf from '@tensorflow/tfjs';`,
        ``,
        `const model = await tf.loadLayersModel('${dir}/model.json'); // + ${dir}/model.weights.bin`,
        `// One Float32Array of raw values per modality, n samples:`,
        shapes,
        `const logits = model.predict([`,
        ...inputs.map((i) => `  tf.tensor2d(${variable(i)}, [n, ${i.features}]),`),
        `]); // [n, ${K}]`,
        `const classes = ${classes};`,
        `const predicted = (await logits.argMax(-1).array()).map((k) => classes[k]);`,
      ].join('\n'),
    },
    {
      id: 'onnx-web',
      title: 'ONNX Runtime Web',
      language: 'javascript',
      code: [
        `import * as ort from 'onnxruntime-web';`,
        ``,
        `const session = await ort.InferenceSession.create('${dir}/model.onnx');`,
        `// One Float32Array of raw values per modality, n samples:`,
        shapes,
        `const out = await session.run({`,
        ...inputs.map((i) => `  ${i.name}: new ort.Tensor('float32', ${variable(i)}, [n, ${i.features}]),`),
        `});`,
        `out.logits; // fused logits [n, ${K}]; ${inputs.map((i) => `out.branch_logits_${i.name}`).join(', ')}: each modality's`,
      ].join('\n'),
    },
    {
      id: 'onnx-python',
      title: 'ONNX Runtime (Python)',
      language: 'python',
      code: [
        `import numpy as np`,
        `import onnxruntime as ort`,
        ``,
        `session = ort.InferenceSession("${dir}/model.onnx")`,
        `# One float32 array of raw values per modality, n samples:`,
        pyShapes,
        `logits = session.run(["logits"], {`,
        ...inputs.map((i) => `    "${i.name}": np.asarray(${variable(i)}, np.float32).reshape(-1, ${i.features}),`),
        `})[0]  # [n, ${K}]`,
        `classes = ${classes}`,
        `predicted = [classes[k] for k in logits.argmax(1)]`,
      ].join('\n'),
    },
    {
      id: 'pytorch',
      title: 'PyTorch',
      language: 'python',
      code: [
        `import sys, torch`,
        `sys.path.insert(0, "${dir}")  # crmt_lab_model.py ships with the model`,
        `import crmt_lab_model`,
        ``,
        `model = crmt_lab_model.load("${dir}")  # an nn.Module, in eval mode`,
        `# One float32 tensor of raw values per modality, n samples:`,
        pyShapes,
        `with torch.no_grad():`,
        `    logits = model(${inputs.map((i) => `torch.as_tensor(${variable(i)}, dtype=torch.float32).reshape(-1, ${i.features})`).join(', ')})`,
        `predicted = [model.classes[k] for k in logits.argmax(1)]`,
      ].join('\n'),
    },
  ];
}

/** README.txt of an exported model: what each file is, and the snippets. */
export function modelReadme(model: SnippetModel, method: string, dir = 'model'): string {
  const inputs = inputsOf(model);
  const lines = [
    `A CRMT Lab model (method ${method}): ${inputs.map((i) => `${i.modality} [${i.shape.join('×')}]`).join(', ')} → ${model.classes.length} classes (${model.classes.join(', ')}).`,
    `Every format below takes the raw values (one row per sample) and standardises them inside with the training statistics.`,
    `Inputs: ${inputs.map((i) => `${i.name} [n, ${i.features}]`).join(', ')}; output: fused logits [n, ${model.classes.length}].`,
    ``,
    `config.json                 the model, its experiment, the standardisation and every parameter (read by the lab's Load model)`,
    `model.safetensors           every parameter in float32, PyTorch layouts, the lab's names`,
    `lab-weights.json + .bin     the same parameters as a TensorFlow.js weights manifest, in the lab's layouts (read by the lab)`,
    `model.json + model.weights.bin   a TensorFlow.js Layers model (tf.loadLayersModel)`,
    `model.onnx                  an ONNX model (opset 13): outputs logits and each modality's branch logits`,
    `crmt_lab_model.py           builds the model as a PyTorch nn.Module from config.json + model.safetensors`,
    ``,
  ];
  for (const s of loadingSnippets(model, dir)) lines.push(`== ${s.title} ==`, '', s.code, '');
  return lines.join('\n');
}
