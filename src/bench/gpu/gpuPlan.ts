import type { BenchPlan } from '../benchTypes';

/** What the GPU check measures: training throughput of jt and crmt-jt on the MLP and CNN cases, nothing else. */
export const GPU_PLAN: BenchPlan = {
  methods: ['jt', 'crmt-jt'],
  models: ['mlp', 'cnn'],
  secondsPerCase: 3,
  secondsPerRepeat: 0.3,
  maxStepsPerRepeat: 12,
  minRepeats: 3,
  maxRepeats: 15,
  memoryEpochs: 0,
  memoryMethods: [],
  memoryBudgetSeconds: 0,
  evalSamples: 0,
  evalMethods: [],
  evalBudgetSeconds: 0,
  profile: false,
};
