/**
 * What this machine can give a run: memory available now (the operating system's free memory, or
 * the control group's limit minus its usage when that is lower), the JavaScript heap's limit, and
 * the free space of a folder's disk. Read at the start of a command, for the estimates of
 * `estimate.ts`.
 */
import { readFileSync, statfsSync } from 'node:fs';
import { freemem, totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';

export interface Available {
  bytes: number;
  /** Where the number comes from, for messages (`free memory of 23.4 GB total`). */
  source: string;
}

function readNumber(path: string): number | undefined {
  try {
    const t = readFileSync(path, 'utf8').trim();
    const x = Number(t);
    return t !== 'max' && Number.isFinite(x) ? x : undefined;
  } catch {
    return undefined;
  }
}

/** The control group's memory limit and usage (cgroup v2, else v1), when a limit is set. */
function cgroupMemory(): { limit: number; usage: number } | undefined {
  const v2 = readNumber('/sys/fs/cgroup/memory.max');
  if (v2 !== undefined) return { limit: v2, usage: readNumber('/sys/fs/cgroup/memory.current') ?? 0 };
  const v1 = readNumber('/sys/fs/cgroup/memory/memory.limit_in_bytes');
  // v1 reports "no limit" as a huge number near 2^63
  if (v1 !== undefined && v1 < 2 ** 60) return { limit: v1, usage: readNumber('/sys/fs/cgroup/memory/memory.usage_in_bytes') ?? 0 };
  return undefined;
}

function gb(b: number): string {
  return `${(b / 1e9).toFixed(1)} GB`;
}

/** Memory available to a run now. */
export function availableMemory(): Available {
  const free = freemem();
  const cg = cgroupMemory();
  if (cg && cg.limit - cg.usage < free) {
    return { bytes: Math.max(cg.limit - cg.usage, 0), source: `control-group limit ${gb(cg.limit)}, ${gb(cg.usage)} in use` };
  }
  return { bytes: free, source: `free memory of ${gb(totalmem())} total` };
}

/** The JavaScript heap's limit in bytes (where recorded lists live). */
export function heapLimit(): number {
  return getHeapStatistics().heap_size_limit;
}

/** Free bytes on the disk holding `dir` (its nearest existing ancestor), or undefined. */
export function diskFree(dir: string): number | undefined {
  try {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}
