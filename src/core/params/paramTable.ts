import { ATTACK_PARAMS } from './attackParams';
import { DATA_PARAMS } from './dataParams';
import { MODEL_PARAMS } from './modelParams';
import type { ConfigPath, Param } from './paramTypes';
import { TRAIN_PARAMS } from './trainParams';

const ALL = [...DATA_PARAMS, ...MODEL_PARAMS, ...TRAIN_PARAMS, ...ATTACK_PARAMS];

/** Leaves of the config that are labels, not settings. */
type NotASetting = 'data.uploadName';

// Compile-time completeness: every leaf of ExperimentConfig is a parameter (or named above).
type Missing = Exclude<ConfigPath, (typeof ALL)[number]['path'] | NotASetting>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;

/** Every parameter of the experiment, in the settings panel's order. */
export const PARAMS: readonly Param[] = ALL as readonly Param[];

/** The parameters a user chooses (not the internal ones). */
export const SETTINGS_PARAMS: readonly Param[] = PARAMS.filter((p) => !p.internal);

const byPath = new Map(PARAMS.map((p) => [p.path as string, p]));
export const paramAt = (path: ConfigPath): Param => byPath.get(path)!;
