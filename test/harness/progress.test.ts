import { describe, expect, it } from 'vitest';
import { createProgress, formatDuration } from '../../src/harness/progress.js';

function sink() {
  let text = '';
  return { stream: { write: (s: string) => { text += s; }, isTTY: false }, text: () => text };
}

describe('progress of a sweep (non-TTY log lines)', () => {
  it('a resumed sweep says how many cells were already saved, then counts from there', () => {
    const s = sink();
    const p = createProgress({ label: 'x', pending: [64, 128], cost: (w) => w, skipped: 3, stream: s.stream });
    expect(s.text()).toBe('x: resuming: 3 of 5 cells already saved, 2 to run\n');
    p.tick({ width: 64, seed: 0, status: 'ok', seconds: 0.5 });
    expect(s.text().split('\n')[1]).toMatch(/^x: 4\/5 w64-s0 ok \(0\.5 s\), ETA /);
  });

  it('a fresh sweep prints no resume line; a failed cell is counted; `what` names the unit', () => {
    const s = sink();
    const p = createProgress({ label: 'y', pending: [8], cost: () => 1, skipped: 0, stream: s.stream });
    expect(s.text()).toBe('');
    p.tick({ width: 8, seed: 2, status: 'diverged', seconds: 1, what: 'η = 0.1' });
    expect(s.text()).toMatch(/^y: 1\/1 η = 0\.1 diverged \(1\.0 s\), 1 failed, ETA /);
  });

  it('formats durations as m:ss or h:mm:ss', () => {
    expect(formatDuration(59.6)).toBe('1:00');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(NaN)).toBe('?');
  });
});
