import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { PARLEY_ROOT } from './paths';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  kernel: string;
  node: string;
  postgres: string | null;
  /** Load average when the run started: other work on the machine shows here. */
  loadAverage: [number, number, number];
  commit: string | null;
}

function osName(): string {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text)?.[1] ?? 'Linux';
  } catch {
    return process.platform;
  }
}

function commit(): string | null {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: PARLEY_ROOT,
      encoding: 'utf8',
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: PARLEY_ROOT,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return null;
  }
}

export function describeMachine(postgres: string | null): Machine {
  const list = cpus();
  const [a = 0, b = 0, c = 0] = loadavg();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    os: osName(),
    kernel: release(),
    node: process.version,
    postgres,
    loadAverage: [a, b, c],
    commit: commit(),
  };
}
