/**
 * CPU time and memory of other processes (the recorders' ffmpeg), read from Linux /proc. Elsewhere
 * it returns null: usage figures are for benchmarks and health, never for decisions.
 */
import { readFile } from 'node:fs/promises';

/** Linux reports CPU time in clock ticks of 1/100 s on every platform we run on. */
const TICKS_PER_SECOND = 100;

export async function processUsage(pid: number): Promise<{ cpuMicros: number; rssBytes: number } | null> {
  try {
    const [stat, status] = await Promise.all([readFile(`/proc/${pid}/stat`, 'utf8'), readFile(`/proc/${pid}/status`, 'utf8')]);
    // Fields after the command name (which may contain spaces) start at field 3 ("state").
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const rssKb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0);
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
    return { cpuMicros: ((utime + stime) * 1_000_000) / TICKS_PER_SECOND, rssBytes: rssKb * 1024 };
  } catch {
    return null;
  }
}

/** Summed usage of `pids` (processes that have gone are left out). */
export async function totalUsage(pids: number[]): Promise<{ count: number; cpuMicros: number; rssBytes: number }> {
  const usages = await Promise.all(pids.map((pid) => processUsage(pid)));
  let count = 0;
  let cpuMicros = 0;
  let rssBytes = 0;
  for (const usage of usages) {
    if (!usage) continue;
    count++;
    cpuMicros += usage.cpuMicros;
    rssBytes += usage.rssBytes;
  }
  return { count, cpuMicros, rssBytes };
}
