// RGBA → I420 with WebAssembly SIMD, 16 pixels per step: a small fraction of the CPU ffmpeg's
// swscale spends on the same conversion, so the encoder gets planar YUV (a third of the bytes
// through the pipe, and no conversion on its side). The module is emitted here as bytes from the
// instruction list below, so no toolchain is needed; rgbaToI420Reference is the specification and
// the tests compare the two byte for byte. Columns past the last multiple of 16 use the reference.
import { i420Bytes } from './i420-reference.js';

// --- a minimal WebAssembly encoder: just what this one function needs -------------------------
const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const str = (s: string): number[] => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];

const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const i32 = (v: number) => [0x41, ...sleb(v)];
const ADD = [0x6a], MUL = [0x6c], AND = [0x71], SHL = [0x74], SHR_U = [0x76], GE_U = [0x4f];
const BLOCK = [0x02, 0x40], LOOP = [0x03, 0x40], END = [0x0b];
const brIf = (depth: number) => [0x0d, depth];
const br = (depth: number) => [0x0c, depth];
const simd = (op: number, ...imm: number[]) => [0xfd, ...uleb(op), ...imm];
const load = (offset: number) => simd(0x00, 0, ...uleb(offset));
const store = simd(0x0b, 0, 0);
const store64Lane0 = simd(0x5b, 0, 0, 0);
const shuffle = (lanes: number[]) => simd(0x0d, ...lanes);
const splat16 = simd(0x10);
const narrowU = simd(0x66);
const pairSumU = simd(0x7d);
const extLowU = simd(0x89);
const extHighU = simd(0x8a);
const shrU16 = simd(0x8d);
const add16 = simd(0x8e);
const mul16 = simd(0x95);

// Locals: params 0..3 (src, dst, width, height), then i32s, then v128s.
const [SRC, DST, W, H] = [0, 1, 2, 3];
const I32 = ['y', 'x', 'top', 'bot', 'ytop', 'ybot', 'u', 'v', 'limit', 'ptop', 'pbot'] as const;
const V128 = ['c66', 'c129', 'c25', 'c4224', 'cm38', 'cm74', 'c112', 'cm94', 'cm18', 'c32896', 'c2',
  't0', 't1', 't2', 't3', 'a0', 'a1', 'b0', 'b1', 'r', 'g', 'b', 'rs', 'gs', 'bs'] as const;
type Local = (typeof I32)[number] | (typeof V128)[number];
const L = Object.fromEntries([...I32.map((n, i) => [n, 4 + i]), ...V128.map((n, i) => [n, 4 + I32.length + i])]) as Record<Local, number>;

const range = (from: number, step: number, n: number) => Array.from({ length: n }, (_, i) => from + i * step);
const SEL_RG = [...range(0, 4, 8), ...range(1, 4, 8)]; // R of 8 pixels, then their G
const SEL_B = [...range(2, 4, 8), ...range(2, 4, 8)]; // B of 8 pixels (twice)
const LOW_LOW = [...range(0, 1, 8), ...range(16, 1, 8)]; // low halves of two vectors
const HIGH_HIGH = [...range(8, 1, 8), ...range(24, 1, 8)]; // high halves of two vectors

/** Splits the 16 RGBA pixels at the address in local `row` into R, G and B byte vectors. */
function deinterleave(row: number): number[] {
  return [
    ...get(row), ...load(0), ...set(L.t0), ...get(row), ...load(16), ...set(L.t1),
    ...get(row), ...load(32), ...set(L.t2), ...get(row), ...load(48), ...set(L.t3),
    ...get(L.t0), ...get(L.t1), ...shuffle(SEL_RG), ...set(L.a0),
    ...get(L.t0), ...get(L.t1), ...shuffle(SEL_B), ...set(L.b0),
    ...get(L.t2), ...get(L.t3), ...shuffle(SEL_RG), ...set(L.a1),
    ...get(L.t2), ...get(L.t3), ...shuffle(SEL_B), ...set(L.b1),
    ...get(L.a0), ...get(L.a1), ...shuffle(LOW_LOW), ...set(L.r),
    ...get(L.a0), ...get(L.a1), ...shuffle(HIGH_HIGH), ...set(L.g),
    ...get(L.b0), ...get(L.b1), ...shuffle(LOW_LOW), ...set(L.b),
  ];
}

/** Y = (66R + 129G + 25B + 4224) >> 8 for 8 pixels, from one half (`ext`) of r, g, b. */
function luma(ext: number[]): number[] {
  return [
    ...get(L.r), ...ext, ...get(L.c66), ...mul16,
    ...get(L.g), ...ext, ...get(L.c129), ...mul16, ...add16,
    ...get(L.b), ...ext, ...get(L.c25), ...mul16, ...add16,
    ...get(L.c4224), ...add16, ...i32(8), ...shrU16,
  ];
}

function storeLuma(plane: number): number[] {
  return [...get(plane), ...get(L.x), ...ADD, ...luma(extLowU), ...luma(extHighU), ...narrowU, ...store];
}

/** Per-block channel sums of horizontally adjacent pixels (first row) or added to them (second). */
function pairSums(accumulate: boolean): number[] {
  return (['r', 'g', 'b'] as const).flatMap((c) => {
    const sum = L[`${c}s`];
    return accumulate ? [...get(sum), ...get(L[c]), ...pairSumU, ...add16, ...set(sum)] : [...get(L[c]), ...pairSumU, ...set(sum)];
  });
}

/** (sum of the 2x2 block + 2) >> 2: the block's average of one channel. */
const average = (sum: number) => [...get(sum), ...get(L.c2), ...add16, ...i32(2), ...shrU16];

function chroma(cr: number, cg: number, cb: number): number[] {
  return [
    ...average(L.rs), ...get(cr), ...mul16,
    ...average(L.gs), ...get(cg), ...mul16, ...add16,
    ...average(L.bs), ...get(cb), ...mul16, ...add16,
    ...get(L.c32896), ...add16, ...i32(8), ...shrU16,
  ];
}

/** Eight chroma bytes at plane + x/2. */
function storeChroma(plane: number, cr: number, cg: number, cb: number): number[] {
  return [...get(plane), ...get(L.x), ...i32(1), ...SHR_U, ...ADD, ...chroma(cr, cg, cb), ...chroma(cr, cg, cb), ...narrowU, ...store64Lane0];
}

function body(): number[] {
  const consts: Array<[number, number]> = [[L.c66, 66], [L.c129, 129], [L.c25, 25], [L.c4224, 4224], [L.cm38, -38], [L.cm74, -74],
    [L.c112, 112], [L.cm94, -94], [L.cm18, -18], [L.c32896, 32896], [L.c2, 2]];
  return [
    ...consts.flatMap(([local, v]) => [...i32(v), ...splat16, ...set(local)]),
    ...get(W), ...i32(-16), ...AND, ...set(L.limit), // columns handled here: a multiple of 16
    ...i32(0), ...set(L.y),
    ...BLOCK, ...LOOP, // two rows at a time
    ...get(L.y), ...get(H), ...GE_U, ...brIf(1),
    ...get(SRC), ...get(L.y), ...get(W), ...MUL, ...i32(2), ...SHL, ...ADD, ...set(L.top),
    ...get(L.top), ...get(W), ...i32(2), ...SHL, ...ADD, ...set(L.bot),
    ...get(DST), ...get(L.y), ...get(W), ...MUL, ...ADD, ...set(L.ytop),
    ...get(L.ytop), ...get(W), ...ADD, ...set(L.ybot),
    ...get(DST), ...get(W), ...get(H), ...MUL, ...ADD, ...get(L.y), ...i32(1), ...SHR_U, ...get(W), ...i32(1), ...SHR_U, ...MUL, ...ADD, ...set(L.u),
    ...get(L.u), ...get(W), ...get(H), ...MUL, ...i32(2), ...SHR_U, ...ADD, ...set(L.v),
    ...i32(0), ...set(L.x),
    ...BLOCK, ...LOOP, // 16 pixels of both rows
    ...get(L.x), ...get(L.limit), ...GE_U, ...brIf(1),
    ...get(L.top), ...get(L.x), ...i32(2), ...SHL, ...ADD, ...set(L.ptop),
    ...get(L.bot), ...get(L.x), ...i32(2), ...SHL, ...ADD, ...set(L.pbot),
    ...deinterleave(L.ptop), ...storeLuma(L.ytop), ...pairSums(false),
    ...deinterleave(L.pbot), ...storeLuma(L.ybot), ...pairSums(true),
    ...storeChroma(L.u, L.cm38, L.cm74, L.c112),
    ...storeChroma(L.v, L.c112, L.cm94, L.cm18),
    ...get(L.x), ...i32(16), ...ADD, ...set(L.x),
    ...br(0), ...END, ...END,
    ...get(L.y), ...i32(2), ...ADD, ...set(L.y),
    ...br(0), ...END, ...END,
  ];
}

function moduleBytes(): Uint8Array {
  const fn = [...vec([[...uleb(I32.length), 0x7f], [...uleb(V128.length), 0x7b]]), ...body(), ...END];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec([[0x7f], [0x7f], [0x7f], [0x7f]]), 0x00]])), // (i32 i32 i32 i32) -> ()
    ...section(2, vec([[...str('env'), ...str('mem'), 0x02, 0x00, 0x01]])), // import memory, min 1 page
    ...section(3, vec([[0x00]])),
    ...section(7, vec([[...str('convert'), 0x00, 0x00]])),
    ...section(10, vec([[...uleb(fn.length), ...fn]])),
  ]);
}

export interface I420Converter {
  /** Where a caller may write an RGBA frame directly (saves a copy), then call convertInput. */
  readonly input: Uint8Array;
  /** Converts the RGBA frame in `input` into `out` (I420). */
  convertInput(out: Uint8Array): void;
  /** Converts one RGBA frame into `out` (I420). */
  convert(rgba: Uint8Array | Uint8ClampedArray, out: Uint8Array): void;
}

// TypeScript's ES libs do not describe WebAssembly (it is in lib.dom); these are the parts used.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (desc: { initial: number }) => { buffer: ArrayBuffer };
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: object | null | undefined;

/** The SIMD converter for frames of this size, or null where WebAssembly SIMD is unavailable. */
export function simdI420Converter(width: number, height: number, tail: (rgba: Uint8Array | Uint8ClampedArray, out: Uint8Array, fromX: number) => void): I420Converter | null {
  if (compiled === undefined) {
    try {
      compiled = new Wasm.Module(moduleBytes());
    } catch {
      compiled = null;
    }
  }
  if (!compiled) return null;
  const rgbaBytes = width * height * 4;
  const outBytes = i420Bytes(width, height);
  const memory = new Wasm.Memory({ initial: Math.ceil((rgbaBytes + outBytes) / 65536) });
  const { convert } = new Wasm.Instance(compiled, { env: { mem: memory } }).exports as unknown as { convert: (src: number, dst: number, w: number, h: number) => void };
  const heap = new Uint8Array(memory.buffer);
  const input = heap.subarray(0, rgbaBytes);
  // The SIMD loop covers columns up to a multiple of 16; the rest go through the reference.
  const limit = width & ~15;
  const convertInput = (out: Uint8Array) => {
    convert(0, rgbaBytes, width, height);
    out.set(heap.subarray(rgbaBytes, rgbaBytes + outBytes));
    if (limit < width) tail(input, out, limit);
  };
  return {
    input,
    convertInput,
    convert(rgba, out) {
      input.set(rgba);
      convertInput(out);
    },
  };
}
