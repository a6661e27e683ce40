// A persistent thread pool for one Node.js environment: threads are created by Resize/Reserve,
// never per call, and joined by the destructor (the environment's cleanup).
//
// Run() splits [0, n) into contiguous tasks and queues them; the calling thread works on its
// own job's tasks too, so a job finishes even when every worker is busy with other jobs
// (several JS threads or async calls may share one pool) or the pool has no workers at all.
// Tasks are several per thread, so a worker that wakes late just takes fewer of them.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace farfan {

class ThreadPool {
 public:
  static constexpr unsigned kMaxThreads = 256;

  // body(ctx, task, begin, end) processes [begin, end), task number `task` of the job.
  using Body = void (*)(void* ctx, unsigned task, std::size_t begin, std::size_t end);

  struct Stats {
    unsigned threads = 1;  // distinct threads that ran tasks (the caller included)
    double busyMs = 0;     // summed time the threads spent inside body
    double wallMs = 0;     // from the call to the last task's completion
  };

  ThreadPool() = default;
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Threads a job may use: the calling thread plus the workers.
  unsigned Threads() const { return workerCount_.load(std::memory_order_relaxed) + 1; }
  // Sets Threads() to `threads` (1..kMaxThreads), growing or shrinking; returns the new value,
  // which is smaller than asked when the system refuses to create a thread.
  unsigned Resize(unsigned threads);
  // Grows to at least `threads`, never shrinks.
  unsigned Reserve(unsigned threads);

  // Runs `tasks` contiguous tasks covering [0, n) on at most `threads` threads (the caller and
  // up to threads - 1 workers) and waits for all. tasks is clamped to [1, max(n, 1)].
  Stats Run(std::size_t n, unsigned threads, unsigned tasks, Body body, void* ctx);

 private:
  struct Job;
  struct Task {
    Job* job;
    unsigned index;
    std::size_t begin, end;
  };

  unsigned ResizeLocked(unsigned threads);
  void WorkerMain(unsigned index);
  // Under mu_: takes the first queued task that worker `index` may run; false if none.
  bool ClaimLocked(unsigned index, Task* out);
  static void Execute(const Task& task);

  std::mutex resizeMu_;  // serialises Resize/Reserve; guards workers_
  std::vector<std::thread> workers_;
  std::atomic<unsigned> workerCount_{0};

  std::mutex mu_;  // guards queue_, target_, stop_ and the jobs' worker sets
  std::condition_variable wake_;
  std::deque<Task> queue_;
  std::atomic<std::uint64_t> pushes_{0};  // bumped (under mu_) when tasks are queued
  unsigned target_ = 0;                   // workers with index >= target_ leave
  bool stop_ = false;
};

}  // namespace farfan
