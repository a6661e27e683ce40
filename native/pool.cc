#include "pool.h"

#include <algorithm>
#include <bitset>
#include <chrono>
#include <system_error>

namespace farfan {

namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// After its last task a worker polls for new ones this long before sleeping: waking a sleeping
// thread costs tens of microseconds (far more on a VM), which back-to-back calls then avoid.
constexpr auto kSpin = std::chrono::microseconds(50);

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

}  // namespace

struct ThreadPool::Job {
  Body body;
  void* ctx;
  unsigned maxWorkers;  // workers allowed to join (threads - 1)
  // Guarded by the pool's mu_: which workers joined, and how many.
  std::bitset<kMaxThreads> joined;
  unsigned joinedCount = 0;
  std::atomic<long long> busyNs{0};
  std::mutex mu;
  std::condition_variable done;
  unsigned pending = 0;  // tasks not yet finished; guarded by mu
};

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  std::lock_guard<std::mutex> lock(resizeMu_);
  for (std::thread& t : workers_) t.join();
}

unsigned ThreadPool::Resize(unsigned threads) {
  std::lock_guard<std::mutex> lock(resizeMu_);
  return ResizeLocked(threads);
}

unsigned ThreadPool::Reserve(unsigned threads) {
  if (threads <= Threads()) return Threads();
  std::lock_guard<std::mutex> lock(resizeMu_);
  return threads <= workers_.size() + 1 ? static_cast<unsigned>(workers_.size()) + 1 : ResizeLocked(threads);
}

unsigned ThreadPool::ResizeLocked(unsigned threads) {
  const unsigned want = std::clamp(threads, 1u, kMaxThreads) - 1;
  std::vector<std::thread> leaving;
  {
    std::lock_guard<std::mutex> lock(mu_);
    target_ = want;
    while (workers_.size() > want) {
      leaving.push_back(std::move(workers_.back()));
      workers_.pop_back();
    }
  }
  if (!leaving.empty()) {
    wake_.notify_all();
    // A leaving worker finishes the task it runs; queued tasks go to the others or back to
    // their callers.
    for (std::thread& t : leaving) t.join();
  }
  while (workers_.size() < want) {
    try {
      workers_.emplace_back(&ThreadPool::WorkerMain, this, static_cast<unsigned>(workers_.size()));
    } catch (const std::system_error&) {
      std::lock_guard<std::mutex> lock(mu_);
      target_ = static_cast<unsigned>(workers_.size());
      break;
    }
  }
  workerCount_.store(static_cast<unsigned>(workers_.size()), std::memory_order_relaxed);
  return static_cast<unsigned>(workers_.size()) + 1;
}

bool ThreadPool::ClaimLocked(unsigned index, Task* out) {
  for (auto it = queue_.begin(); it != queue_.end(); ++it) {
    Job& job = *it->job;
    if (!job.joined[index]) {
      if (job.joinedCount >= job.maxWorkers) continue;  // the job has all the threads it asked for
      job.joined[index] = true;
      ++job.joinedCount;
    }
    *out = *it;
    queue_.erase(it);
    return true;
  }
  return false;
}

void ThreadPool::WorkerMain(unsigned index) {
  std::unique_lock<std::mutex> lock(mu_);
  bool worked = false;
  for (;;) {
    if (stop_ || index >= target_) return;
    Task task;
    if (ClaimLocked(index, &task)) {
      lock.unlock();
      Execute(task);
      worked = true;
      lock.lock();
      continue;
    }
    const std::uint64_t seen = pushes_.load(std::memory_order_relaxed);
    if (worked) {
      // Nothing to do right after a task: poll briefly for the next call before sleeping.
      worked = false;
      lock.unlock();
      const Clock::time_point until = Clock::now() + kSpin;
      for (unsigned spins = 1; pushes_.load(std::memory_order_relaxed) == seen; ++spins) {
        CpuRelax();
        if (spins % 64 == 0 && Clock::now() >= until) break;
      }
      lock.lock();
      if (pushes_.load(std::memory_order_relaxed) != seen) continue;
    }
    wake_.wait(lock, [&] { return stop_ || index >= target_ || pushes_.load(std::memory_order_relaxed) != seen; });
  }
}

void ThreadPool::Execute(const Task& task) {
  Job& job = *task.job;
  const Clock::time_point start = Clock::now();
  job.body(job.ctx, task.index, task.begin, task.end);
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
  job.busyNs.fetch_add(static_cast<long long>(ns), std::memory_order_relaxed);
  // Decrement and notify under the job's mutex: the caller cannot return (and destroy the
  // job) before this thread has released it.
  std::lock_guard<std::mutex> lock(job.mu);
  if (--job.pending == 0) job.done.notify_one();
}

ThreadPool::Stats ThreadPool::Run(std::size_t n, unsigned threads, unsigned tasks, Body body, void* ctx) {
  const Clock::time_point start = Clock::now();
  Stats stats;
  tasks = static_cast<unsigned>(std::clamp<std::size_t>(tasks, 1, std::max<std::size_t>(n, 1)));
  threads = std::clamp(threads, 1u, std::min(tasks, kMaxThreads));
  const std::size_t base = n / tasks, extra = n % tasks;
  auto begin = [&](unsigned t) { return t * base + std::min<std::size_t>(t, extra); };

  if (threads == 1) {  // no hand-off at all
    for (unsigned t = 0; t < tasks; ++t) body(ctx, t, begin(t), begin(t + 1));
    stats.wallMs = stats.busyMs = Ms(Clock::now() - start);
    return stats;
  }

  Job job;
  job.body = body;
  job.ctx = ctx;
  job.maxWorkers = threads - 1;
  job.pending = tasks;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (unsigned t = 0; t < tasks; ++t) queue_.push_back(Task{&job, t, begin(t), begin(t + 1)});
    pushes_.fetch_add(1, std::memory_order_relaxed);
  }
  for (unsigned i = 1; i < threads; ++i) wake_.notify_one();

  // Work on this job's tasks, in order, until none is left in the queue.
  for (;;) {
    Task task;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = std::find_if(queue_.begin(), queue_.end(), [&](const Task& t) { return t.job == &job; });
      if (it == queue_.end()) break;
      task = *it;
      queue_.erase(it);
    }
    Execute(task);
  }
  {
    std::unique_lock<std::mutex> lock(job.mu);
    job.done.wait(lock, [&] { return job.pending == 0; });
  }
  {
    std::lock_guard<std::mutex> lock(mu_);  // joinedCount is written under mu_
    stats.threads = 1 + job.joinedCount;
  }
  stats.busyMs = static_cast<double>(job.busyNs.load(std::memory_order_relaxed)) / 1e6;
  stats.wallMs = Ms(Clock::now() - start);
  return stats;
}

}  // namespace farfan
