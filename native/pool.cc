// Worker threads for runParallel (pool.h): created on first use, parked on a condition variable
// between products (the machine may be shared: no spinning).
#include "pool.h"

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace widelimit {

namespace {

struct Pool {
  std::mutex mu;
  std::condition_variable wake, done;
  const std::function<void(int)>* job = nullptr;
  unsigned long generation = 0;
  int active = 0;   // workers taking part in the current job (ids 1..active)
  int pending = 0;  // of those, not finished yet
  std::vector<std::thread> workers;

  void worker(int id) {
    unsigned long seen = 0;
    for (;;) {
      const std::function<void(int)>* f;
      {
        std::unique_lock<std::mutex> lock(mu);
        wake.wait(lock, [&] { return generation != seen; });
        seen = generation;
        if (id > active) continue;
        f = job;
      }
      (*f)(id);
      std::lock_guard<std::mutex> lock(mu);
      if (--pending == 0) done.notify_one();
    }
  }
};

Pool& pool() {
  static Pool* p = new Pool();  // never destroyed: its threads are detached at exit
  return *p;
}

std::mutex callMu;  // one parallel product at a time per process

}  // namespace

void runParallel(int threads, const std::function<void(int)>& f) {
  if (threads <= 1) {
    f(0);
    return;
  }
  std::lock_guard<std::mutex> serial(callMu);
  Pool& p = pool();
  {
    std::lock_guard<std::mutex> lock(p.mu);
    while (static_cast<int>(p.workers.size()) < threads - 1) {
      const int id = static_cast<int>(p.workers.size()) + 1;
      p.workers.emplace_back([&p, id] { p.worker(id); });
      p.workers.back().detach();
    }
    p.job = &f;
    p.active = threads - 1;
    p.pending = threads - 1;
    p.generation++;
  }
  p.wake.notify_all();
  f(0);
  std::unique_lock<std::mutex> lock(p.mu);
  p.done.wait(lock, [&] { return p.pending == 0; });
}

}  // namespace widelimit
