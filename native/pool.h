// A small pool of worker threads for the native gemm: run(f, T) calls f(0..T−1), f(0) on the
// caller's thread, and returns when all are done.
#pragma once
#include <functional>

namespace widelimit {

void runParallel(int threads, const std::function<void(int)>& f);

}  // namespace widelimit
