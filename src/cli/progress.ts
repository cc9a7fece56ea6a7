/**
 * A one-line progress indicator with ETA for a single run (`train`, `limit`), redrawn in place
 * on stderr when it is a terminal and silent otherwise, plus the final summary line.
 */
import type { CliStream } from './action.js';

export interface RunProgress {
  /** Fraction done in [0, 1]. */
  update(fraction: number): void;
  /** Clear the line. */
  done(): void;
}

/** Format seconds as `12s`, `3m05s`, `1h02m`. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '?';
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function runProgress(stream: CliStream, label: string, now: () => number = () => performance.now()): RunProgress {
  if (!stream.isTTY) return { update() {}, done() {} };
  const start = now();
  let last = -Infinity;
  let drawn = false;
  return {
    update(fraction) {
      const t = now();
      if (t - last < 100 && fraction < 1) return; // redraw at most 10 times a second
      last = t;
      const f = Math.min(1, Math.max(0, fraction));
      const elapsed = (t - start) / 1000;
      const eta = f > 0 ? (elapsed * (1 - f)) / f : NaN;
      const bar = '#'.repeat(Math.round(20 * f)).padEnd(20, '.');
      stream.write(`\r${label} [${bar}] ${(100 * f).toFixed(0).padStart(3)}%  ${formatSeconds(elapsed)} elapsed, ETA ${formatSeconds(eta)}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}

/** Short number for summaries: 4 significant digits. */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return String(x === undefined ? 'n/a' : x === null ? 'null' : x);
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e5 ? String(Number(x.toPrecision(4))) : x.toExponential(3);
}
