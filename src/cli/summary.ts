/** The final one-line summary of `train` and `limit`: status, final losses, seconds, files written. */
import { fmt } from './progress.js';

interface Summarised {
  status: string;
  trainLoss?: number[];
  testLoss?: number[];
  meta?: { seconds?: number };
}

export function summaryLine(label: string, r: Summarised, written: string[]): string {
  const last = (a: number[] | undefined) => (a && a.length > 0 ? fmt(a[a.length - 1]) : 'n/a');
  const secs = r.meta?.seconds !== undefined ? `${fmt(r.meta.seconds)} s` : '? s';
  return `${label}: ${r.status}, final train loss ${last(r.trainLoss)}, test loss ${last(r.testLoss)}, ${secs}, wrote ${written.join(', ')}\n`;
}
