/**
 * A few WebAssembly encodings, enough to assemble the gemm kernels of gemmWasm.ts and
 * gemmSparse.ts byte by byte (no toolchain). Instructions are arrays of bytes; `cat` joins them.
 * Opcodes from the WebAssembly core specification 2.0 (binary format, §5.4) and its SIMD
 * proposal (0xfd prefix).
 */

export const uLEB = (v: number): number[] => {
  const o: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v) b |= 0x80;
    o.push(b);
  } while (v);
  return o;
};
export const sLEB = (v: number): number[] => {
  const o: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(b & 0x40)) || (v === -1 && b & 0x40)) {
      o.push(b);
      return o;
    }
    o.push(b | 0x80);
  }
};
export const vec = (items: number[][]): number[] => [...uLEB(items.length), ...items.flat()];
export const section = (id: number, b: number[]): number[] => [id, ...uLEB(b.length), ...b];
export const name = (s: string): number[] => [...uLEB(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];
export const cat = (...parts: number[][]): number[] => parts.flat();

export const I32 = 0x7f, V128 = 0x7b;
export const get = (i: number) => [0x20, ...uLEB(i)];
export const set = (i: number) => [0x21, ...uLEB(i)];
export const i32 = (v: number) => [0x41, ...sLEB(v)];
export const ADD = [0x6a], MUL = [0x6c], GE_U = [0x4f];
/** i32.load with alignment 2^2 and a constant byte offset. */
export const load32 = (off: number) => [0x28, 2, ...uLEB(off)];
export const vload = (off: number) => [0xfd, 0x00, 4, ...uLEB(off)];
export const vstore = (off: number) => [0xfd, 0x0b, 4, ...uLEB(off)];
export const splat64 = (off: number) => [0xfd, 0x0a, 3, ...uLEB(off)];
export const F64X2_ADD = [0xfd, 0xf0, 0x01], F64X2_MUL = [0xfd, 0xf2, 0x01];
export const V128_ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
/** block { loop { if (cond) break; body; continue } } */
export const whileNot = (exitCond: number[], body: number[]) => cat([0x02, 0x40, 0x03, 0x40], exitCond, [0x0d, 1], body, [0x0c, 0, 0x0b, 0x0b]);

/** A function body: `nI32` i32 locals then `nVec` v128 locals (after the parameters), code, end. */
export function functionBody(nI32: number, nVec: number, code: number[]): number[] {
  const body = cat(vec([[...uLEB(nI32), I32], [...uLEB(nVec), V128]]), code, [0x0b]);
  return cat(uLEB(body.length), body);
}

/**
 * A module importing its memory as `env.mem` and exporting `fns` (each with `nParams` i32
 * parameters and no result) under their names.
 */
export function assembleModule(fns: { name: string; nParams: number; body: number[] }[]): Uint8Array<ArrayBuffer> {
  const types = fns.map((f) => [0x60, ...vec(new Array(f.nParams).fill([I32])), 0]);
  return new Uint8Array(cat(
    [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    section(1, vec(types)),
    section(2, vec([cat(name('env'), name('mem'), [0x02, 0x00], uLEB(1))])),
    section(3, vec(fns.map((_, i) => uLEB(i)))),
    section(7, vec(fns.map((f, i) => cat(name(f.name), [0x00], uLEB(i))))),
    section(10, vec(fns.map((f) => f.body))),
  ));
}
