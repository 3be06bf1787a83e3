import { readdirSync, readFileSync } from 'node:fs';

/** CPU milliseconds (user and system, every thread) per side of a run. */
export type CpuTimes = Record<string, number>;

/** Linux counts process CPU in clock ticks of 10 ms (USER_HZ is 100 on every architecture Node runs on). */
const MS_PER_TICK = 10;

/**
 * What each side of a run spent in CPU, read from /proc (Linux): the processes named by pid, the
 * bench's own (its clients and the bare worker), and every PostgreSQL process together (one that
 * exits between two readings takes its share with it; the pools keep theirs open). Where the
 * two cores go while a path runs is what a throughput ratio alone cannot tell.
 */
export class ProcessCpu {
  constructor(private readonly processes: Record<string, number>) {}

  /** Runs `work` and answers its result with the CPU ms each side spent meanwhile, per item of `count`. */
  async perItem<T>(count: number, work: () => Promise<T>): Promise<{ result: T; cpu: CpuTimes }> {
    const before = this.reading();
    const result = await work();
    const sides: CpuTimes = { postgres: 0 };
    for (const [key, ms] of Object.entries(this.reading())) {
      const side = key.split(':')[0];
      sides[side] = (sides[side] ?? 0) + (ms - (before[key] ?? 0)) / count;
    }
    return { result, cpu: sides };
  }

  /** Each named process and the bench by name, each PostgreSQL process as `postgres:<pid>` (summed by `perItem`). */
  private reading(): CpuTimes {
    const usage = process.cpuUsage();
    const times: CpuTimes = { bench: (usage.user + usage.system) / 1000 };
    for (const [name, pid] of Object.entries(this.processes)) times[name] = ticksOf(pid) * MS_PER_TICK;
    for (const pid of postgresPids()) times[`postgres:${pid}`] = ticksOf(pid) * MS_PER_TICK;
    return times;
  }
}

/** utime + stime of a process, 0 once it is gone. */
function ticksOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name (which may hold spaces) start at state: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function postgresPids(): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres');
    } catch {
      return false;
    }
  });
}
