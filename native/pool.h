// A small pool of worker threads for the native engine: runChunks(T, n, f) calls f(0..n−1), each
// exactly once, on the caller's thread and up to T − 1 workers, chunks taken in order from a shared
// counter (a thread that is descheduled on a loaded machine leaves its share to the others), and
// returns when all are done. Which thread runs a chunk must never change its result.
#pragma once
#include <functional>

namespace widelimit {

void runChunks(int threads, long chunks, const std::function<void(long)>& f);

}  // namespace widelimit
