import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import type { MachineInfo } from '../benchTypes';

/** CPU model (from /proc/cpuinfo where os.cpus() has none), cores, RAM, OS, Node and tfjs versions. */
export function machineInfo(): MachineInfo {
  let cpuModel = os.cpus()[0]?.model ?? '';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) cpuModel = line.split(':')[1].trim();
  } catch {
    // Not Linux: os.cpus() said what it could.
  }
  const require = createRequire(import.meta.url);
  const tfjs = (require('@tensorflow/tfjs/package.json') as { version: string }).version;
  return {
    cpuModel: cpuModel || 'unknown',
    cores: os.availableParallelism(),
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    tfjs,
  };
}
