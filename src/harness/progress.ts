/**
 * Progress of a sweep on stderr, with an ETA: on a terminal one line redrawn in place, otherwise
 * one line per finished cell (readable in CI logs). The ETA weighs cells by an estimated cost
 * (wide cells are slower), scaled by the measured time per unit of cost.
 */

export interface ProgressSink {
  /** A cell (or other unit) finished; `what` names it in the log line (default `w<width>-s<seed>`). */
  tick(info: { width: number; seed: number; status: string; seconds: number; what?: string }): void;
  /** All done (ends the redrawn line). */
  finish(): void;
}

export interface ProgressOptions {
  label: string;
  /** Widths of the pending cells. */
  pending: number[];
  /** Estimated cost of a cell of width w (any unit; e.g. w for two-layer nets). */
  cost: (width: number) => number;
  /** Cells already done (resumed), shown in the count. */
  skipped: number;
  stream?: { write(s: string): unknown; isTTY?: boolean };
}

/** Format seconds as m:ss or h:mm:ss. */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '?';
  const t = Math.round(s);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = String(t % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function createProgress(o: ProgressOptions): ProgressSink {
  const stream = o.stream ?? process.stderr;
  const tty = Boolean(stream.isTTY);
  const total = o.pending.length + o.skipped;
  const totalCost = o.pending.reduce((a, w) => a + o.cost(w), 0);
  const start = performance.now();
  let done = o.skipped;
  let doneCost = 0;
  let failed = 0;
  let lastTick = start;
  const fail = () => (failed > 0 ? `, ${failed} failed` : '');
  if (o.skipped > 0) stream.write(`${o.label}: resuming: ${o.skipped} of ${total} cells already saved, ${o.pending.length} to run\n`);
  /** Seconds left: measured seconds per unit of cost times the cost left, minus the time since the last cell. */
  const eta = (now: number) => {
    if (doneCost === 0) return NaN;
    const perCost = (lastTick - start) / 1000 / doneCost;
    return Math.max(0, perCost * (totalCost - doneCost) - (now - lastTick) / 1000);
  };
  const draw = () => {
    const now = performance.now();
    const barLen = 24;
    const filled = Math.round((barLen * done) / Math.max(1, total));
    const bar = '█'.repeat(filled) + '░'.repeat(barLen - filled);
    stream.write(`\r${o.label} ${bar} ${done}/${total} cells${fail()}  elapsed ${formatDuration((now - start) / 1000)}  ETA ${formatDuration(eta(now))}\x1b[K`);
  };
  // On a terminal, redraw every second so the clock moves between cells (unref: never keeps the process alive).
  const timer = tty && o.pending.length > 0 ? setInterval(draw, 1000) : null;
  timer?.unref();
  if (tty && o.pending.length > 0) draw();
  return {
    tick(info) {
      done++;
      if (info.status !== 'ok') failed++;
      doneCost += o.cost(info.width);
      lastTick = performance.now();
      if (tty) draw();
      else stream.write(`${o.label}: ${done}/${total} ${info.what ?? `w${info.width}-s${info.seed}`} ${info.status} (${info.seconds.toFixed(1)} s)${fail()}, ETA ${formatDuration(eta(lastTick))}\n`);
    },
    finish() {
      if (timer) clearInterval(timer);
      if (tty && o.pending.length > 0) stream.write('\n');
    },
  };
}
