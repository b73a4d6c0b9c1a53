import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100;

/**
 * A process's time so far, from Linux's /proc (zeros where it is unavailable): `cpu` is user +
 * system seconds over all its threads; `waiting` is the seconds its main thread (the event loop
 * of a Node process, the whole of a PostgreSQL backend) was ready to run but waited for a core.
 */
export interface ProcessTimes {
  cpu: number;
  waiting: number;
}

export function processTimes(pid: number): ProcessTimes {
  return { cpu: cpuSeconds(pid), waiting: waitingSeconds(pid) };
}

/** What a process used between two readings of `processTimes`. */
export function timesBetween(before: ProcessTimes, after: ProcessTimes): ProcessTimes {
  return {
    cpu: Math.max(0, after.cpu - before.cpu),
    waiting: Math.max(0, after.waiting - before.waiting),
  };
}

function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Second field of `schedstat`: nanoseconds spent on a run queue, waiting for a CPU. */
function waitingSeconds(pid: number): number {
  try {
    const [, waitNs] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ');
    return Number(waitNs) / 1e9 || 0;
  } catch {
    return 0;
  }
}
