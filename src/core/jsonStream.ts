/**
 * Results written compactly and streamed (README, "A short tour"): JSON is produced piece by piece
 * into a temporary file beside the target, in chunks of about 1 MB, then renamed over it — no
 * single string holds the file, so its size is bounded by the disk, not by the engine's longest
 * string (about 512 MB). Non-finite numbers are written as null (JSON has no NaN), typed arrays as
 * lists, `undefined` fields are left out, as `JSON.stringify` does.
 */
import { closeSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { targetPath } from './atomic.js';

const CHUNK = 1 << 20;

/**
 * A buffered writer of text to a file descriptor: pieces are encoded straight into one reused
 * buffer (no list of strings kept alive between writes: a result of 10^7 numbers would otherwise
 * promote millions of short strings and spend its time in the garbage collector).
 */
class Sink {
  private readonly buf = Buffer.allocUnsafe(CHUNK);
  private pos = 0;
  constructor(private readonly fd: number) {}
  put(s: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit
    if (3 * s.length > CHUNK - this.pos) {
      this.flush();
      if (3 * s.length > CHUNK) {
        writeAll(this.fd, Buffer.from(s, 'utf8'));
        return;
      }
    }
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }
  flush(): void {
    if (this.pos === 0) return;
    writeAll(this.fd, this.buf.subarray(0, this.pos));
    this.pos = 0;
  }
}

/** Write every byte of `b` (a write may take fewer bytes than asked). */
export function writeAll(fd: number, b: Uint8Array): void {
  let off = 0;
  while (off < b.length) off += writeSync(fd, b, off, b.length - off);
}

/** A row-major matrix written as a JSON list of rows without building the rows first. */
export class JsonMatrix {
  constructor(readonly data: Float64Array, readonly rows: number, readonly cols: number) {}
}

function num(v: number): string {
  return Number.isFinite(v) ? String(v) : 'null';
}

/** Write `v` as compact JSON (the `JSON.stringify(v)` text, non-finite numbers as null). */
function emit(v: unknown, out: Sink): void {
  if (v === null || v === undefined || typeof v === 'function' || typeof v === 'symbol') {
    out.put('null');
  } else if (typeof v === 'number') {
    out.put(num(v));
  } else if (typeof v === 'string' || typeof v === 'boolean') {
    out.put(JSON.stringify(v));
  } else if (typeof v === 'bigint') {
    out.put(String(v));
  } else if (v instanceof JsonMatrix) {
    out.put('[');
    for (let i = 0; i < v.rows; i++) {
      out.put(i === 0 ? '[' : ',[');
      for (let j = 0; j < v.cols; j++) {
        if (j > 0) out.put(',');
        out.put(num(v.data[i * v.cols + j]));
      }
      out.put(']');
    }
    out.put(']');
  } else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const a = v as unknown as ArrayLike<number>;
    out.put('[');
    for (let i = 0; i < a.length; i++) {
      if (i > 0) out.put(',');
      out.put(num(a[i]));
    }
    out.put(']');
  } else if (Array.isArray(v)) {
    out.put('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.put(',');
      const x = v[i];
      if (typeof x === 'number') out.put(num(x));
      else emit(x, out);
    }
    out.put(']');
  } else if (typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    emit((v as { toJSON: () => unknown }).toJSON(), out);
  } else {
    out.put('{');
    let first = true;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
      out.put(`${first ? '' : ','}${JSON.stringify(k)}:`);
      first = false;
      emit(x, out);
    }
    out.put('}');
  }
}

let counter = 0;

/**
 * Write to `path` atomically through `fill(put)`: the pieces go to a temporary file beside `path`,
 * which is renamed over it once complete (an interrupted write leaves no partial file).
 */
export function writeStreamAtomic(path: string, fill: (fd: number) => void): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.s${counter++}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    fill(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) try { closeSync(fd); } catch { /* closed */ }
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw targetPath(e, tmp, path);
  }
}

/** Compact JSON of `value` streamed atomically to `path` (a newline at the end). */
export function writeJsonStream(path: string, value: unknown): void {
  writeStreamAtomic(path, (fd) => {
    const sink = new Sink(fd);
    emit(value, sink);
    sink.put('\n');
    sink.flush();
  });
}
