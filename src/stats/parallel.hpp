// Internal: survkit's one way of using more than one core.
//
// Contract: work is cut into tasks that are fixed before any thread starts (never by
// the number of threads), each task writes only its own outputs, and nothing is
// reduced across tasks in the order they happen to finish.  Every number is therefore
// bit-identical whatever the thread count, including one thread.
//
// Threads: std::thread::hardware_concurrency(), capped at kMaxThreads; SURVKIT_THREADS
// (1-64) overrides it (1 = everything on the calling thread; used to show that the
// results do not depend on it).  Threads are started per call: the callers' tasks are
// long (a column of 1e5+ rows), so a pool would save nothing measurable.
// An exception thrown by a task is rethrown on the calling thread after every task has
// finished or been skipped: the one of the lowest-numbered failing task, so that the
// message does not depend on scheduling either.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <exception>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace survkit::parallel {

inline constexpr unsigned kMaxThreads = 8;
/// Fewer rows than this per task: one thread (see for_each_task(tasks, rows, task)).
inline constexpr std::size_t kMinRangeRows = std::size_t{1} << 15;
inline constexpr std::size_t kRanges = 8;

/// Threads to use for a call with `tasks` tasks (>= 1).
inline unsigned thread_count(std::size_t tasks) {
  unsigned n = std::max(1u, std::thread::hardware_concurrency());
  if (const char* env = std::getenv("SURVKIT_THREADS")) {
    const int v = std::atoi(env);
    if (v >= 1 && v <= 64) n = static_cast<unsigned>(v);
  }
  n = std::min(n, kMaxThreads);
  return static_cast<unsigned>(std::min<std::size_t>(n, std::max<std::size_t>(tasks, 1)));
}

/// Runs task(k) for k = 0 .. tasks-1, on up to thread_count(tasks) threads (the caller's
/// included).  Tasks are handed out in increasing k.  `task` is called as task(k), or as
/// task(k, worker) with worker < thread_count(tasks) the index of the running thread,
/// for per-thread working memory reused from one task to the next (which task runs on
/// which worker varies from run to run: scratch must not carry results between tasks).
/// `rows`: how many rows each task works through (a column, a range); below
/// kMinRangeRows every task runs on the calling thread, where starting a thread would
/// cost more than it saves.
template <class Task>
void for_each_task(std::size_t tasks, std::size_t rows, Task&& task) {
  const auto run = [&](std::size_t k, unsigned worker) {
    if constexpr (std::is_invocable_v<Task&, std::size_t, unsigned>)
      task(k, worker);
    else
      task(k);
  };
  const unsigned threads = rows < kMinRangeRows ? 1 : thread_count(tasks);
  if (threads <= 1) {
    for (std::size_t k = 0; k < tasks; ++k) run(k, 0);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> errors(tasks);
  auto worker = [&](unsigned id) {
    for (std::size_t k; (k = next.fetch_add(1)) < tasks;) {
      try {
        run(k, id);
      } catch (...) {
        errors[k] = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker, t);
  worker(0);
  for (auto& t : pool) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

/// Tasks long enough to be worth a thread each, whatever their size.
template <class Task>
void for_each_task(std::size_t tasks, Task&& task) {
  for_each_task(tasks, kMinRangeRows, std::forward<Task>(task));
}

/// Elementwise work over the rows [0, n): fn(begin, end) on kRanges fixed ranges when n is
/// at least kMinRangeRows, else on one.  Only for loops whose iterations are independent
/// and write only their own elements (a reduction is done afterwards, in row order, by
/// the caller): each element's arithmetic is then the same whatever the split.
template <class Fn>
void for_each_range(std::size_t n, Fn&& fn) {
  const std::size_t ranges = n >= kMinRangeRows ? kRanges : 1;
  for_each_task(ranges, n, [&](std::size_t k) { fn(n * k / ranges, n * (k + 1) / ranges); });
}

/// Runs a() and b() at the same time when two threads are allowed (b on a new thread),
/// else one after the other; exceptions as for_each_task (a's first).
template <class A, class B>
void both(A&& a, B&& b) {
  for_each_task(2, [&](std::size_t k) {
    if (k == 0)
      a();
    else
      b();
  });
}

}  // namespace survkit::parallel
