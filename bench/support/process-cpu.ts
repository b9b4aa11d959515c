import { readdirSync, readFileSync } from 'node:fs';

/** CPU time (user + system, every thread) a process has used so far, in ms, from /proc (Linux); null where there is none. */
export function processCpuMs(pid: number): number | null {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** The processes a process started (its children), with their command lines, from /proc (Linux); none elsewhere. */
export function childProcesses(pid: number): { pid: number; command: string }[] {
  try {
    return readdirSync(`/proc/${pid}/task`)
      .flatMap((task) => readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number))
      .map((child) => ({ pid: child, command: readFileSync(`/proc/${child}/cmdline`, 'utf8').replace(/\0/g, ' ') }));
  } catch {
    return [];
  }
}
