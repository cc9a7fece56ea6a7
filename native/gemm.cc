// The native engine's general product C ← alpha·op(A)op(B) + beta·C on row-major doubles.
//
// Blocking: op(A) is packed once per call into panels of MR rows for each K-block of KC (the
// trainer's products have few rows, so this is small), op(B) per (NC columns × KC) block into
// panels of NR columns, each entry of B read once per product. The kernel (kernels.h) forms a
// tile from one K-block; the tile is added into C as c ← c + alpha·t (the first K-block writes
// alpha·t, or alpha·t + beta·c), so every entry of C is the same sequence of roundings whatever the
// tile grid around it: edge tiles run on zero-padded panels and only their valid part is copied.
//
// Threads split the output into contiguous ranges of whole tiles (columns, or rows when op(A) is
// the larger operand), a few per thread, taken dynamically (pool.h); a reduction is never split, so
// the bits do not depend on the thread count or on which thread computed a range. Split by columns,
// each thread packs op(A) once per call into its own buffer instead of once per range. Packing is
// a copy: it never changes a value.
// Epilogues (gemm.h) are applied to each finished block right after its last K-block.
#include "gemm.h"

#include <emmintrin.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "kernels.h"
#include "pack.h"
#include "pool.h"

namespace widelimit {

namespace {

// Chunks per thread for a split dimension of `extent` columns or rows: each chunk repacks the
// other operand (about 1/32 of an FMA block's time per repacked entry, measured), so one per thread
// up to 2048 wide (at most ~3 % repacking), more beyond (up to 4: a thread that is descheduled on a
// loaded machine then leaves more of its share to the other). WIDELIMIT_NATIVE_CHUNKS overrides.
long chunksPerThread(long extent) {
  static const long forced = [] {
    const char* e = std::getenv("WIDELIMIT_NATIVE_CHUNKS");
    return e ? std::atol(e) : 0L;
  }();
  if (forced >= 1) return forced;
  return std::max(1L, std::min(4L, extent / 2048));
}

// K-block (A micro-panel of MR × KC in L1) and column block (B block of KC × NC in L2). The
// K-block fixes where partial sums are rounded into C: it is a constant, never tuned at run time.
constexpr long KC = 384;
// Column chunks per thread when each thread packs op(A) once per call (gemm): small chunks cost no
// repacking, and a thread that is descheduled on a loaded machine leaves the rest to the other.
constexpr long OWN_CHUNKS = 4;
constexpr long NC_TILES = 6;  // NC = NC_TILES tiles of NR columns

struct Isa {
  KernelInfo info{nullptr, 0, 0, nullptr};
  Isa() {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) info = avx512Kernel();
    else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) info = avx2Kernel();
    const char* force = std::getenv("WIDELIMIT_NATIVE_ISA");
    if (force && std::strcmp(force, "avx2") == 0 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) info = avx2Kernel();
  }
};

const Isa& isa() {
  static Isa s;
  return s;
}


// The tile t (MR × NR, stride NR) into C rows [i, i + mr), columns [j, j + nr).
void addTile(const GemmCall& c, const double* t, int NR, long i, long j, long mr, long nr, bool first) {
  const double alpha = c.alpha, beta = c.beta;
  for (long r = 0; r < mr; r++) {
    double* row = c.C + (i + r) * c.n + j;
    const double* tr = t + r * NR;
    if (!first) for (long q = 0; q < nr; q++) row[q] = row[q] + alpha * tr[q];
    else if (beta == 0) for (long q = 0; q < nr; q++) row[q] = alpha * tr[q];
    else if (beta == 1) for (long q = 0; q < nr; q++) row[q] = row[q] + alpha * tr[q];
    else for (long q = 0; q < nr; q++) row[q] = beta * row[q] + alpha * tr[q];
  }
}

// The epilogue: row loops without branches on the data (the signs are random) and with restrict
// pointers, so that the compiler vectorizes them; the same arithmetic as the JavaScript passes
// they replace (z = c + bs·b[j] rounded before the activation, as there).
void epilogue(const GemmCall& c, long i0, long i1, long j0, long j1) {
  const Epilogue& e = c.epi;
  const long n = c.n, w = j1 - j0;
  for (long i = i0; i < i1; i++) {
    double* __restrict row = c.C + i * n + j0;
    switch (e.kind) {
      case kAbrelu: {
        uint8_t* __restrict mask = e.mask ? e.mask + i * n + j0 : nullptr;
        const double* __restrict bias = e.vec ? e.vec + j0 : nullptr;
        const double a = e.a, ba = e.ba, bs = e.bs;
        if (bias) for (long j = 0; j < w; j++) row[j] = row[j] + bs * bias[j];
        if (mask) for (long j = 0; j < w; j++) mask[j] = static_cast<uint8_t>(row[j] > 0);
        const __m128d va = _mm_set1_pd(a), vba = _mm_set1_pd(ba), one = _mm_set1_pd(1.0), zero = _mm_setzero_pd();
        long j = 0;
        for (; j + 2 <= w; j += 2) {
          const __m128d z = _mm_loadu_pd(row + j);
          const __m128d p = _mm_and_pd(_mm_cmpgt_pd(z, zero), one);
          _mm_storeu_pd(row + j, _mm_mul_pd(_mm_add_pd(va, _mm_mul_pd(vba, p)), z));
        }
        for (; j < w; j++) {
          const double z = row[j];
          row[j] = (a + ba * (z > 0 ? 1.0 : 0.0)) * z;
        }
        break;
      }
      case kSlopeAct: {
        const double* __restrict act = e.vec + i * n + j0;
        const double a = e.a, ba = e.ba;
        const __m128d va = _mm_set1_pd(a), vba = _mm_set1_pd(ba), one = _mm_set1_pd(1.0), zero = _mm_setzero_pd();
        long j = 0;
        for (; j + 2 <= w; j += 2) {
          const __m128d p = _mm_and_pd(_mm_cmpgt_pd(_mm_loadu_pd(act + j), zero), one);
          _mm_storeu_pd(row + j, _mm_mul_pd(_mm_loadu_pd(row + j), _mm_add_pd(va, _mm_mul_pd(vba, p))));
        }
        for (; j < w; j++) row[j] = row[j] * (a + ba * (act[j] > 0 ? 1.0 : 0.0));
        break;
      }
      case kSlopeMask: {
        const uint8_t* __restrict pos = e.mask + i * n + j0;
        const double a = e.a, ba = e.ba;
        for (long j = 0; j < w; j++) row[j] = row[j] * (a + ba * static_cast<double>(pos[j]));
        break;
      }
      case kSlopeTable: {
        const double* __restrict d = e.vec + i * n + j0;
        for (long j = 0; j < w; j++) row[j] = row[j] * d[j];
        break;
      }
      default:
        break;
    }
  }
}

struct Buffers {
  std::vector<double> a, b, own;
};

thread_local Buffers buffers;

double* grow(std::vector<double>& v, size_t n) {
  if (v.size() < n + 8) v.resize(n + 8);
  // 64-byte alignment inside the vector
  auto addr = reinterpret_cast<uintptr_t>(v.data());
  return v.data() + ((64 - (addr & 63)) & 63) / sizeof(double);
}

// Rows [i0, i1) × columns [j0, j1) of C (tile-aligned starts). op(A) is packed once for all column
// blocks when there are several; with a single column block each of its panels is used once, so it
// is packed MC rows at a time just before use (it stays in cache). With `packedA` (i0 = 0), op(A)
// is already packed there, K-block pc at packedA + pc·smp (smp: rows of all panels), by ownPackedA.
void block(const GemmCall& c, long i0, long i1, long j0, long j1, const double* packedA = nullptr, long smp = 0) {
  if (i0 >= i1 || j0 >= j1) return;
  const KernelInfo& K = isa().info;
  const int MR = K.mr, NR = K.nr;
  const long NC = NC_TILES * NR, MC = 8 * MR;
  const bool streamA = !packedA && j1 - j0 <= NC;
  const long mp = packedA ? smp : (i1 - i0 + MR - 1) / MR * MR;
  double* ap = packedA ? const_cast<double*>(packedA) : grow(buffers.a, static_cast<size_t>(streamA ? MC * KC : mp * c.k));
  double* bp = grow(buffers.b, static_cast<size_t>(KC * NC));
  alignas(64) double t[8 * 24];  // MR·NR ≤ 8·24 for every kernel
  if (!streamA && !packedA) for (long pc = 0; pc < c.k; pc += KC) packA(c, i0, i1, pc, std::min(KC, c.k - pc), MR, ap + pc * mp);
  for (long jc = j0; jc < j1; jc += NC) {
    const long jn = std::min(j1, jc + NC);
    for (long pc = 0; pc < c.k; pc += KC) {
      const long kc = std::min(KC, c.k - pc);
      const bool first = pc == 0;
      packB(c, jc, jn, pc, kc, NR, bp);
      for (long ic = i0; ic < i1; ic += streamA ? MC : i1 - i0) {
        const long icn = streamA ? std::min(i1, ic + MC) : i1;
        const double* ablk = streamA ? ap : ap + pc * mp;
        if (streamA) packA(c, ic, icn, pc, kc, MR, ap);
        for (long ib = 0; ic + ib * MR < icn; ib++) {
          const long i = ic + ib * MR, mr = std::min<long>(MR, icn - i);
          for (long jb = 0; jc + jb * NR < jn; jb++) {
            const long j = jc + jb * NR, nr = std::min<long>(NR, jn - j);
            if (c.upper && j + nr <= i) continue;  // entirely below the diagonal
            if (mr == MR && nr == NR) {
              const int mode = !first || c.beta == 1 ? 1 : c.beta == 0 ? 0 : 2;
              K.kernel(kc, ablk + ib * kc * MR, bp + jb * kc * NR, c.C + i * c.n + j, c.n, mode, c.alpha, c.beta);
            } else {
              // edge tile: the exact sums (alpha = 1: 1·t = t) into t, then the same c ← c + alpha·t
              K.kernel(kc, ablk + ib * kc * MR, bp + jb * kc * NR, t, NR, 0, 1.0, 0.0);
              addTile(c, t, NR, i, j, mr, nr, first);
            }
          }
        }
      }
    }
    if (c.epi.kind != kNone) epilogue(c, i0, i1, jc, jn);
  }
}

// The calls that split by columns on several threads, numbered (ownPackedA).
std::atomic<unsigned long> calls{0};

// All of op(A) packed by this thread for call number `call` (K-block pc at pc·smp, smp: rows of
// all panels), packed on the first request of that call and reused for the others.
const double* ownPackedA(const GemmCall& c, unsigned long call, long smp) {
  thread_local unsigned long packedFor = 0;
  thread_local double* packed = nullptr;
  if (packedFor != call) {
    const int MR = isa().info.mr;
    packed = grow(buffers.own, static_cast<size_t>(smp * c.k));
    for (long pc = 0; pc < c.k; pc += KC) packA(c, 0, c.m, pc, std::min(KC, c.k - pc), MR, packed + pc * smp);
    packedFor = call;
  }
  return packed;
}

}  // namespace

const char* gemmIsa() { return isa().info.isa; }

void gemm(const GemmCall& c, int threads) {
  if (c.m <= 0 || c.n <= 0) return;
  if (c.k == 0 || c.alpha == 0) {
    for (long i = 0; i < c.m * c.n; i++) c.C[i] = c.beta == 0 ? 0.0 : c.beta * c.C[i];
    if (c.epi.kind != kNone) epilogue(c, 0, c.m, 0, c.n);
    return;
  }
  const KernelInfo& K = isa().info;
  const long tilesM = (c.m + K.mr - 1) / K.mr, tilesN = (c.n + K.nr - 1) / K.nr;
  // split the operand whose packing is cheaper to repeat: columns when op(A) is the smaller
  const bool byCols = c.upper || (c.m <= c.n ? tilesN >= 2 : tilesM < 2);
  const long tiles = byCols ? tilesN : tilesM;
  const long T = std::max<long>(1, std::min<long>(threads, tiles));
  // Split by columns on several threads: each thread packs all of op(A) into its own buffer when it
  // takes its first chunk of this call and keeps it for its other chunks, so the columns can go in
  // small chunks without repacking op(A) for each. (One copy shared between the threads costs
  // more: each thread then reads the half the other one wrote from that core's cache, and the 2-
  // thread product 256×1024×1024 ran at 1.6× the 1-thread speed instead of 1.9–2.0×, measured with
  // the machine's other processes held off.)
  const bool own = byCols && T > 1;
  const long smp = tilesM * K.mr;
  const unsigned long call = own ? ++calls : 0;
  // chunks taken dynamically (pool.h): a late thread leaves its share to the other; the triangle
  // of an upper product in more of them (their work grows with the column)
  const long per = own ? OWN_CHUNKS : c.upper ? 4 : chunksPerThread(byCols ? c.n : c.m);
  const long chunks = T == 1 ? 1 : std::min<long>(tiles, T * per);
  runChunks(static_cast<int>(T), chunks, [&](long q) {
    const long lo = tiles * q / chunks, hi = tiles * (q + 1) / chunks;
    if (byCols) {
      const long j1 = std::min(c.n, hi * K.nr);
      block(c, 0, c.upper ? std::min(c.m, j1) : c.m, lo * K.nr, j1, own ? ownPackedA(c, call, smp) : nullptr, smp);
    } else block(c, lo * K.mr, std::min(c.m, hi * K.mr), 0, c.n);
  });
}

}  // namespace widelimit
