// A small pool of worker threads for the native engine: runChunks(T, n, f) calls f(0..n−1), each
// exactly once, on the caller's thread (thread 0) and up to T − 1 workers (1 … T − 1), and returns
// when all are done. Thread t first takes, in order, the chunks of its own part [n·t/T, n·(t+1)/T),
// then what is left of the other parts (a thread that is descheduled on a loaded machine leaves
// its share to the others). Which thread runs a chunk must never change its result.
#pragma once
#include <functional>

namespace widelimit {

void runChunks(int threads, long chunks, const std::function<void(long)>& f);

}  // namespace widelimit
