import * as tf from '@tensorflow/tfjs-core';
import type { AttackSettings } from '../config';
import type { MultiModalModel } from '../model/model';
import { attackSpec, perturb } from './attacks';
import { attackSlice, modalityPlane, type Grid } from './boundaries';
import { certifiedRadius } from './certify';
import { soundPairConstants } from './lipschitz';
import { marginShares } from './margins';
import { collectOutputs } from './modelOutputs';

export interface BoundaryRequest {
  /** Validation sample at the centre: fixes the other modalities and is the one attacked. */
  sample: number;
  /** Attack budget for the arrow, and the ε above which a sample counts as certified. */
  eps: number;
}

export interface PlanePoint {
  x: number;
  y: number;
  label: number;
  correct: boolean;
  /** Sound radius when only this modality is attacked (0 when misclassified). */
  radius: number;
}

export interface BoundaryView {
  request: BoundaryRequest;
  sample: { index: number; label: number; prediction: number };
  /** One plane per modality, when every modality is a 2-D point. */
  planes: { modality: string; grid: Grid; points: PlanePoint[]; arrow: [number, number, number, number] }[] | null;
  /** Each validation sample at (share of the first modality, share of the others) of the fused margin, bias split evenly. */
  marginPlane: { x: number; y: number; state: 'wrong' | 'correct' | 'certified' }[];
  /** The attack-direction × random-direction slice around the sample. */
  slice: Grid;
}

const MAX_POINTS = 400;
const GRID = 64;

export async function boundaryView(
  model: MultiModalModel,
  xs: tf.Tensor2D[],
  y: tf.Tensor1D,
  modalities: string[],
  req: BoundaryRequest,
  settings: AttackSettings,
): Promise<BoundaryView> {
  const labels = new Int32Array(await y.data());
  const out = await collectOutputs(model, xs);
  const radii = certifiedRadius(out.logits, labels, await soundPairConstants(model), out.K);
  const values = await Promise.all(xs.map(async (x) => (await x.data()) as Float32Array));
  const dims = xs.map((x) => x.shape[1]);
  const i = Math.min(Math.max(0, req.sample), labels.length - 1);
  const sample = values.map((v, m) => v.slice(i * dims[m], (i + 1) * dims[m]));
  const prediction = argmax(out.logits.subarray(i * out.K, (i + 1) * out.K));

  let planes: BoundaryView['planes'] = null;
  if (dims.every((d) => d === 2)) {
    planes = [];
    for (let m = 0; m < dims.length; m++) {
      const v = values[m];
      const n = Math.min(labels.length, MAX_POINTS);
      const xsM = Array.from({ length: n }, (_, j) => v[2 * j]);
      const ysM = Array.from({ length: n }, (_, j) => v[2 * j + 1]);
      const pad = 0.5;
      const bounds = {
        x0: Math.min(...xsM) - pad,
        x1: Math.max(...xsM) + pad,
        y0: Math.min(...ysM) - pad,
        y1: Math.max(...ysM) + pad,
      };
      const grid = await modalityPlane(model, sample, m, bounds, GRID);
      const points = xsM.map((x, j) => ({
        x,
        y: ysM[j],
        label: labels[j],
        correct: radii.correct[j] === 1,
        radius: radii.perModality[m][j],
      }));
      const to = tf.tidy(() => {
        const xi = sample.map((s) => tf.tensor2d(s, [1, s.length]));
        const adv = perturb(
          model,
          xi,
          tf.tensor1d([labels[i]], 'int32'),
          attackSpec(
            'pgd-l2',
            dims.map((_, j) => j === m),
            req.eps,
            settings,
          ),
        );
        return adv[m];
      });
      const end = await to.data();
      to.dispose();
      planes.push({ modality: modalities[m], grid, points, arrow: [sample[m][0], sample[m][1], end[0], end[1]] });
    }
  }

  const shares = marginShares(out.logits, out.contributions, labels, out.K);
  const marginPlane = Array.from({ length: Math.min(labels.length, MAX_POINTS) }, (_, j) => {
    const others = shares.shares.slice(1).reduce((s, sh) => s + sh[j], 0);
    const state: 'wrong' | 'correct' | 'certified' =
      shares.fused[j] <= 0 ? 'wrong' : radii.joint[j] > req.eps ? 'certified' : 'correct';
    return { x: shares.shares[0][j] + shares.bias[j] / 2, y: others + shares.bias[j] / 2, state };
  });
  const slice = await attackSlice(model, sample, labels[i], Math.max(2 * req.eps, 0.5), GRID);
  return { request: req, sample: { index: i, label: labels[i], prediction }, planes, marginPlane, slice };
}

function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < row.length; k++) if (row[k] > row[best]) best = k;
  return best;
}
