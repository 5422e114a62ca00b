import type { ExperimentConfig } from '../config';

/**
 * One parameter of the experiment, declared once: every surface (settings panel, generator
 * controls, URL hash, Config JSON, the model's config.json, CLI flags, --help) is derived from it.
 */

type Leaf = string | number | boolean | null | undefined | readonly unknown[];

/** Dotted paths to the leaves of a config object ('train.step2.epochs'). */
export type ConfigPath<T = ExperimentConfig> = {
  [K in keyof T & string]-?: T[K] extends Leaf ? K : `${K}.${ConfigPath<T[K]>}`;
}[keyof T & string];

/** The type of the value at a dotted path. */
export type ValueAt<P extends string, T = ExperimentConfig> = P extends `${infer H}.${infer R}`
  ? H extends keyof T
    ? ValueAt<R, T[H]>
    : never
  : P extends keyof T
    ? T[P]
    : never;

/** Where a parameter is shown, in the panel's order. */
export type ParamGroup =
  | 'data'
  | 'toy2d'
  | 'audioVisual'
  | 'model'
  | 'training'
  | 'crmt'
  | 'step2'
  | 'adversarial'
  | 'mixup'
  | 'umt'
  | 'attack'
  | 'run';

interface Common<P extends ConfigPath> {
  /** The config-JSON path, also the parameter's id. */
  path: P;
  /** The URL-hash key and the settings panel's field id; null: never in the URL. */
  key: string | null;
  /** The CLI flag without its dashes; null: no flag (set by another option, or not a setting of a run). */
  flag: string | null;
  label: string;
  /** One line of help. */
  help: string;
  group: ParamGroup;
  /** Whether the parameter means anything for this experiment (others are hidden). */
  applies?: (c: ExperimentConfig) => boolean;
  /** Kept in the config but not a choice of the experiment (how a run is shown): no panel, URL, flag or JSON. */
  internal?: boolean;
  default: ValueAt<P>;
}

/** A number (or an integer); `nullable` names what null means ('auto: ε/steps'), typed as "auto" or left empty. */
interface NumberParam<P extends ConfigPath> extends Common<P> {
  type: 'number' | 'int';
  min: number;
  max: number;
  nullable?: string;
}

interface EnumParam<P extends ConfigPath> extends Common<P> {
  type: 'enum';
  options: readonly string[];
  /** Old or alternative words still accepted when reading, mapped to an option. */
  aliases?: Record<string, string>;
}

interface BoolParam<P extends ConfigPath> extends Common<P> {
  type: 'bool';
}

/** A list of numbers ('64-32', '64,32' or '64 32') or of names ('image,audio'). */
interface ListParam<P extends ConfigPath> extends Common<P> {
  type: 'intList' | 'numberList' | 'nameList';
  min?: number;
  max?: number;
  minLength: number;
  maxLength: number;
}

export type ParamOf<P extends ConfigPath> = NumberParam<P> | EnumParam<P> | BoolParam<P> | ListParam<P>;

/** Checks at compile time that the default has the type of the value at `path`. */
export const param = <P extends ConfigPath>(p: ParamOf<P>): ParamOf<P> => p;

export type Param = ParamOf<ConfigPath>;
export type ParamValue = number | string | boolean | null | readonly (number | string)[];
