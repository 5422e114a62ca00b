import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import type { MachineInfo } from '../benchTypes';

/**
 * CPU model (from /proc/cpuinfo where os.cpus() has none), cores, RAM, OS, Node and tfjs versions
 * (the installed package's, unless a bundle without node_modules says its own).
 */
export function machineInfo(tfjs = installedTfjsVersion()): MachineInfo {
  let cpuModel = os.cpus()[0]?.model ?? '';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) cpuModel = line.split(':')[1].trim();
  } catch {
    // Not Linux: os.cpus() said what it could.
  }
  return {
    cpuModel: cpuModel || 'unknown',
    cores: os.availableParallelism(),
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    tfjs,
  };
}

function installedTfjsVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('@tensorflow/tfjs/package.json') as { version: string }).version;
}
