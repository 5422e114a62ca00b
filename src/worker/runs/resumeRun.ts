import { DataError } from '../../core/data/dataError';
import { loadParamFile, paramFile } from '../../core/io/paramFile';
import type { Trainer } from '../../core/train/trainer';

/** What the run store keeps beside a UMT run's model: its teachers, in the lab's layout. */
const TEACHER_FILE = 'teacher.safetensors';

/** The files of one epoch's checkpoint: the exported model, and UMT's teachers, which a run needs to go on. */
export async function checkpointFiles(
  trainer: Trainer,
  exported: Record<string, Uint8Array>,
): Promise<Record<string, Uint8Array>> {
  return trainer.teacher ? { ...exported, [TEACHER_FILE]: await paramFile(trainer.teacher) } : exported;
}

/** A stored run, to go on from after run epoch `runEpoch` with the files its checkpoint stored. */
export interface Resume {
  runEpoch: number;
  files: Record<string, Uint8Array>;
}

/** A trainer built on a stored run's weights goes on from its epoch: UMT's teachers come back from the store too. */
export function resumeTrainer(trainer: Trainer, r: Resume): void {
  if (trainer.teacher && r.runEpoch > 0) {
    const bytes = r.files[TEACHER_FILE];
    if (!bytes)
      throw new DataError('this UMT run was stored without its teachers, so it cannot go on; open it to see it');
    loadParamFile(trainer.teacher, TEACHER_FILE, bytes);
  }
  trainer.resumeAfter(r.runEpoch);
}
