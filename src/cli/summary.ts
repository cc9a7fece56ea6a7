/** The final one-line summary of `train` and `limit`: status, final losses, seconds, files written. */
import { fmt } from './progress.js';

interface Summarised {
  status: string;
  trainLoss?: number[];
  testLoss?: number[];
  fTest?: unknown[];
  spec?: { data?: { nTest?: number } };
  meta?: { seconds?: number };
}

/** No test points: the resolved spec says nTest = 0, or the recorded test outputs are empty. */
function noTestSet(r: Summarised): boolean {
  if (r.spec?.data?.nTest === 0 && !(Array.isArray(r.fTest?.[0]) && (r.fTest[0] as unknown[]).length > 0)) return true;
  return Array.isArray(r.fTest) && r.fTest.length > 0 && Array.isArray(r.fTest[0]) && (r.fTest[0] as unknown[]).length === 0;
}

export function summaryLine(label: string, r: Summarised, written: string[]): string {
  const last = (a: number[] | undefined) => (a && a.length > 0 ? fmt(a[a.length - 1]) : 'n/a');
  const secs = r.meta?.seconds !== undefined ? `${fmt(r.meta.seconds)} s` : '? s';
  const test = noTestSet(r) ? 'no test points' : `test loss ${last(r.testLoss)}`;
  return `${label}: ${r.status}, final train loss ${last(r.trainLoss)}, ${test}, ${secs}, wrote ${written.join(', ')}\n`;
}
