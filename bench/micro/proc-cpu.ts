import { readdirSync, readFileSync } from 'node:fs';

/** Microseconds per clock tick of /proc's CPU times (USER_HZ = 100). */
export const TICK_US = 10_000;

/** A process's user + system CPU time, in ticks; 0 once it is gone. */
export function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** Every `postgres` process's CPU time together (backends, WAL writer; other clients' too). */
export function postgresTicks(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres')
        total += cpuTicks(Number(entry));
    } catch {}
  }
  return total;
}
