#pragma once
// How many threads vpcgate uses, and the one loop that shares work among them.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <exception>
#include <thread>
#include <vector>

namespace vpcgate::model {

// The threads for a job of `work` items: VPCGATE_THREADS if set (1 = sequential), else every
// core; at least 1 and at most `work` (docs/performance.md). The output never depends on it.
inline std::size_t thread_budget(std::size_t work = static_cast<std::size_t>(-1)) {
  std::size_t n = std::thread::hardware_concurrency();
  if (const char* env = std::getenv("VPCGATE_THREADS"); env && *env) n = std::strtoul(env, nullptr, 10);
  return std::max<std::size_t>(1, std::min(n, work));
}

// Runs fn(i) for every i in [0, n) on thread_budget(n) threads, the calling one included, each
// taking the next i. An exception of fn(i) is kept and, once every item is done, the one of the
// smallest i is rethrown: the same as a sequential loop that stops at the first failure would
// report. fn writes its results by index, so they do not depend on the threads either.
template <class F>
void parallel_for(std::size_t n, F&& fn) {
  std::vector<std::exception_ptr> errors(n);
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < n;) {
      try {
        fn(i);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  const std::size_t threads = thread_budget(n);
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace vpcgate::model
