/** CPU and memory of a process and all its descendants, from /proc (Linux). */
import fs from 'node:fs';

const CLOCK_TICKS = 100;

function children(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      const list = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (list) out.push(...list.split(/\s+/).map(Number));
    } catch {
      // task ended
    }
  }
  return out;
}

function one(pid: number): { cpuSeconds: number; rssBytes: number } {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { cpuSeconds: (utime + stime) / CLOCK_TICKS, rssBytes: rssKb * 1024 };
  } catch {
    return { cpuSeconds: 0, rssBytes: 0 };
  }
}

export function processTreeUsage(rootPid: number): { cpuSeconds: number; rssBytes: number; pids: number[] } {
  const pids: number[] = [];
  const queue = [rootPid];
  while (queue.length) {
    const pid = queue.shift()!;
    pids.push(pid);
    queue.push(...children(pid));
  }
  let cpuSeconds = 0;
  let rssBytes = 0;
  for (const pid of pids) {
    const u = one(pid);
    cpuSeconds += u.cpuSeconds;
    rssBytes += u.rssBytes;
  }
  return { cpuSeconds, rssBytes, pids };
}
