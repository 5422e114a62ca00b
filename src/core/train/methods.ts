import type { HeadKind } from '../model/head';

export const METHOD_IDS = [
  'jt',
  'ojt',
  'crmt-jt',
  'at',
  'crmt-at',
  'mixup',
  'crmt-mix',
  'ume',
  'umt',
  'crmt-step1',
  'crmt-step2',
] as const;
export type MethodId = (typeof METHOD_IDS)[number];

export interface MethodSpec {
  id: MethodId;
  label: string;
  head: HeadKind;
  /** What the first (main) phase trains on. */
  inputs: 'clean' | 'adversarial' | 'mixup';
  /** Step 1's margin term (ρ > 0). */
  marginTerm: boolean;
  /** Lipschitz estimation then step 2 on the integration weights. */
  step2: boolean;
  /** `ume`: one model per modality; `umt`: uni-modal teachers, then a distilled joint student. */
  structure: 'fused' | 'ume' | 'umt';
}

/** Spec §8, one row per method, plus the two ablations. */
export const METHODS: Record<MethodId, MethodSpec> = {
  jt: m('jt', 'Joint training', 'joint', 'clean', false, false),
  ojt: m('ojt', 'Orthogonal joint training (CRMT head, ρ = 0)', 'crmt', 'clean', false, false),
  'crmt-jt': m('crmt-jt', 'CRMT-JT', 'crmt', 'clean', true, true),
  at: m('at', 'Multi-modal adversarial training', 'joint', 'adversarial', false, false),
  'crmt-at': m('crmt-at', 'CRMT-AT', 'crmt', 'adversarial', true, true),
  mixup: m('mixup', 'Mixup', 'joint', 'mixup', false, false),
  'crmt-mix': m('crmt-mix', 'CRMT-Mix', 'crmt', 'mixup', true, true),
  ume: m('ume', 'Uni-modal ensemble', 'joint', 'clean', false, false, 'ume'),
  umt: m('umt', 'Uni-modal teacher', 'joint', 'clean', false, false, 'umt'),
  'crmt-step1': m('crmt-step1', 'CRMT step 1 only (ablation)', 'crmt', 'clean', true, false),
  'crmt-step2': m('crmt-step2', 'CRMT step 2 only on an OJT model (ablation)', 'crmt', 'clean', false, true),
};

function m(
  id: MethodId,
  label: string,
  head: HeadKind,
  inputs: MethodSpec['inputs'],
  marginTerm: boolean,
  step2: boolean,
  structure: MethodSpec['structure'] = 'fused',
): MethodSpec {
  return { id, label, head, inputs, marginTerm, step2, structure };
}

export function isMethodId(s: string): s is MethodId {
  return (METHOD_IDS as readonly string[]).includes(s);
}
