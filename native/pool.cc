// Worker threads for runChunks (pool.h): created on first use, parked on a condition variable
// between jobs (the machine may be shared: a short spin at most, then sleep).
//
// A job is one counter of chunks per part (one part per thread, pool.h). The caller publishes it,
// wakes the workers and takes chunks itself; a worker that wakes joins the job under the lock
// (attached), takes chunks until none is left, then leaves. The caller returns once every chunk is finished and no worker is still attached, so
// a worker that wakes late finds the job closed and never touches the caller's closure.
#include "pool.h"

#include <emmintrin.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace widelimit {

namespace {

// Pauses a worker spins for the next job after finishing one (~50 µs), then it sleeps.
constexpr int WORKER_SPIN = 2000;

// The chunks of a job in `parts` contiguous ranges, one per thread (range r: chunks
// [chunks·r/parts, chunks·(r+1)/parts), its next chunk in cursor[r]).
struct alignas(64) Cursor {
  std::atomic<long> next{0};
  long end = 0;
};

struct Job {
  const std::function<void(long)>* f = nullptr;
  long chunks = 0;
  int parts = 1;
  std::vector<Cursor> cursor;
  std::atomic<long> done{0};
};

struct Pool {
  std::mutex mu;
  std::condition_variable wake, finished;
  Job* job = nullptr;  // the open job, or nullptr
  unsigned long generation = 0;
  std::atomic<unsigned long> published{0};  // generation, readable without the lock
  int wanted = 0;    // workers asked to join the current job (ids 1..wanted)
  int attached = 0;  // workers inside the current job
  std::vector<std::thread> workers;

  // Take chunks until none is left, those of range `slot` first, then what is left of the others
  // (a thread that is descheduled leaves its range to the others); true when this call finished
  // the last one. On a quiet machine each thread runs its own range, the same part of the output
  // in every product of a trainer step, so the data it wrote stays in its core's cache.
  static bool work(Job& j, int slot) {
    bool last = false;
    for (int r = 0; r < j.parts; r++) {
      Cursor& cur = j.cursor[(slot + r) % j.parts];
      for (;;) {
        const long c = cur.next.fetch_add(1, std::memory_order_relaxed);
        if (c >= cur.end) break;
        (*j.f)(c);
        if (j.done.fetch_add(1, std::memory_order_acq_rel) + 1 == j.chunks) last = true;
      }
    }
    return last;
  }

  void worker(int id) {
    unsigned long seen = 0;
    for (;;) {
      // a short busy wait for the next job before sleeping: a trainer step calls the engine a few
      // times in a row, and waking a sleeping thread costs tens of microseconds on a shared machine
      for (int spin = 0; spin < WORKER_SPIN && published.load(std::memory_order_acquire) == seen; spin++) _mm_pause();
      Job* j;
      {
        std::unique_lock<std::mutex> lock(mu);
        wake.wait(lock, [&] { return generation != seen; });
        seen = generation;
        if (id > wanted || job == nullptr) continue;
        j = job;
        attached++;
      }
      work(*j, id);
      std::lock_guard<std::mutex> lock(mu);
      attached--;
      finished.notify_all();
    }
  }
};

Pool& pool() {
  static Pool* p = new Pool();  // never destroyed: its threads are detached at exit
  return *p;
}

std::mutex callMu;  // one parallel job at a time per process

}  // namespace

void runChunks(int threads, long chunks, const std::function<void(long)>& f) {
  if (chunks <= 0) return;
  if (threads <= 1 || chunks == 1) {
    for (long c = 0; c < chunks; c++) f(c);
    return;
  }
  std::lock_guard<std::mutex> serial(callMu);
  Pool& p = pool();
  Job j;
  j.f = &f;
  j.chunks = chunks;
  j.parts = threads;
  j.cursor = std::vector<Cursor>(static_cast<size_t>(threads));
  for (int r = 0; r < threads; r++) {
    j.cursor[r].next.store(chunks * r / threads, std::memory_order_relaxed);
    j.cursor[r].end = chunks * (r + 1) / threads;
  }
  {
    std::lock_guard<std::mutex> lock(p.mu);
    while (static_cast<int>(p.workers.size()) < threads - 1) {
      const int id = static_cast<int>(p.workers.size()) + 1;
      p.workers.emplace_back([&p, id] { p.worker(id); });
      p.workers.back().detach();
    }
    p.job = &j;
    p.wanted = threads - 1;
    p.generation++;
    p.published.store(p.generation, std::memory_order_release);
  }
  p.wake.notify_all();
  Pool::work(j, 0);
  // the chunks workers took: a short busy wait (they are usually about to finish), then sleep
  // (never sched_yield: on a loaded machine that hands the core to another process for a slice)
  for (int spin = 0; spin < 4000 && j.done.load(std::memory_order_acquire) < chunks; spin++) _mm_pause();
  std::unique_lock<std::mutex> lock(p.mu);
  p.job = nullptr;  // closed: workers that wake from now on skip it
  p.finished.wait(lock, [&] { return p.attached == 0; });
}

}  // namespace widelimit
