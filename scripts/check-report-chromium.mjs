#!/usr/bin/env node
/**
 * Check that a widelimit HTML report opens in headless Chromium with every plot rendered.
 *
 *   node scripts/check-report-chromium.mjs DIR/report.html [--screenshot out.png]
 *
 * 1. A copy of the report with a small probe script appended is loaded with `--dump-dom`; the
 *    probe measures, in the rendered page, every <figure>'s <svg>: its on-screen size and the
 *    number of visible marks (paths, lines, symbols, text with a non-empty bounding box). The
 *    check fails unless every figure has a visible SVG with marks and axis text.
 * 2. A full-page screenshot is written (default: a PNG in the temporary folder, path printed) for a
 *    human look.
 *
 * Exit codes: 0 ok, 1 a check failed, 2 bad usage or unreadable report, 77 Chromium not found
 * (the check could not run: install it with `apt-get install chromium`, or set CHROMIUM=path).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
if (args.length < 1 || args[0].startsWith('-')) {
  console.error('usage: node scripts/check-report-chromium.mjs DIR/report.html [--screenshot out.png]');
  process.exit(2);
}
let report = resolve(args[0]);
if (existsSync(report) && statSync(report).isDirectory()) report = join(report, 'report.html');
const shotIdx = args.indexOf('--screenshot');
const screenshot = resolve(shotIdx >= 0 ? args[shotIdx + 1] : join(tmpdir(), `widelimit-report-${process.pid}.png`));
if (!existsSync(report)) {
  console.error(`check-report-chromium: ${report} not found`);
  process.exit(2);
}

function findChromium() {
  const candidates = [process.env.CHROMIUM, 'chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'].filter(Boolean);
  for (const c of candidates) {
    const r = spawnSync(c, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return c;
  }
  return null;
}

const chromium = findChromium();
if (!chromium) {
  console.error('check-report-chromium: Chromium NOT FOUND — the report was NOT checked. Install it (apt-get install chromium) or set CHROMIUM=/path/to/chrome.');
  process.exit(77);
}

const PROBE = `<script>
(() => {
  const out = [];
  document.querySelectorAll('figure').forEach((fig) => {
    const svg = fig.querySelector('svg');
    const r = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
    let marks = 0, texts = 0;
    if (svg) {
      svg.querySelectorAll('path, line, rect, circle').forEach((el) => {
        const b = el.getBBox();
        if (b.width > 0 || b.height > 0) marks++;
      });
      svg.querySelectorAll('text').forEach((el) => { if (el.getBBox().width > 0 && el.textContent.trim()) texts++; });
    }
    out.push({ id: fig.id, width: Math.round(r.width), height: Math.round(r.height), marks, texts });
  });
  const pre = document.createElement('pre');
  pre.id = 'widelimit-probe';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>`;

const flags = (userDir) => [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--hide-scrollbars', `--user-data-dir=${userDir}`,
];

const tmp = mkdtempSync(join(tmpdir(), 'widelimit-chromium-'));
let failed = false;
try {
  const html = readFileSync(report, 'utf8');
  const nFigures = (html.match(/<figure\b/g) ?? []).length;
  if (/<script\b/i.test(html)) { console.error('FAIL: the report contains a script (it must be static)'); failed = true; }
  if (/(src|href)="(https?:)?\/\/[^"]*"[^>]*>(?![^<]*<\/a>)/i.test(html.replace(/<a [^>]*>[^<]*<\/a>/g, ''))) {
    console.error('FAIL: the report loads a resource from the network'); failed = true;
  }
  // The probe copy sits beside the report so relative paths resolve the same way.
  const probe = join(dirname(report), `.probe-${process.pid}.html`);
  writeFileSync(probe, html.replace('</body>', `${PROBE}</body>`));
  let dom;
  try {
    dom = execFileSync(chromium, [...flags(join(tmp, 'a')), '--window-size=1280,2000', '--dump-dom', pathToFileURL(probe).href], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
  } finally {
    rmSync(probe, { force: true });
  }
  const m = /<pre id="widelimit-probe">([^<]*)<\/pre>/.exec(dom);
  if (!m) {
    console.error('FAIL: the probe did not run (page did not load in Chromium)');
    failed = true;
  } else {
    const figs = JSON.parse(m[1].replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
    if (figs.length === 0 || figs.length !== nFigures) { console.error(`FAIL: ${figs.length} figures rendered, ${nFigures} in the HTML`); failed = true; }
    for (const f of figs) {
      const ok = f.width >= 200 && f.height >= 150 && f.marks >= 5 && f.texts >= 4;
      if (!ok) failed = true;
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${f.id}: ${f.width}×${f.height} px, ${f.marks} marks, ${f.texts} text labels`);
    }
  }
  execFileSync(chromium, [...flags(join(tmp, 'b')), '--window-size=1280,6000', `--screenshot=${screenshot}`, pathToFileURL(report).href], { stdio: 'ignore', timeout: 120_000 });
  if (!existsSync(screenshot) || statSync(screenshot).size < 10_000) { console.error('FAIL: no screenshot'); failed = true; } else console.log(`screenshot: ${screenshot}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(failed ? 'check-report-chromium: FAILED' : 'check-report-chromium: every figure rendered');
process.exit(failed ? 1 : 0);
