#include "copy_memory.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__linux__) || defined(__APPLE__)
#include <sys/mman.h>
#endif

namespace farfan {

namespace {

// Blocks from 64 KiB up are kept (and mapped from the system): small ones too, because a block
// faulted in anew for every call made small async calls cost several times their kernel.
constexpr std::size_t kMinKeptBytes = std::size_t{64} << 10;
// From here a block is huge-page aligned and advised, and marked free-on-pressure while kept.
constexpr std::size_t kMinLargeBytes = 2 * kHugePage;
// A kept block serves a request of at least half its size, so little of it lies unused.
constexpr std::size_t kMaxWaste = 2;
// Below this a copy is not worth a thread: starting one costs tens of microseconds.
constexpr std::size_t kMinBytesPerThread = std::size_t{4} << 20;

using Clock = std::chrono::steady_clock;

struct Block {
  void* data;
  std::size_t capacity;
  Clock::time_point keptAt;
};

// Never destroyed: a call may end on a pool thread while the process exits.
struct Kept {
  Kept() { blocks.reserve(kMaxKeptBlocks + 1); }  // so no push_back below allocates
  std::mutex mutex;
  std::vector<Block> blocks;  // oldest first
  std::size_t bytes = 0;
};

Kept& KeptBlocks() {
  static Kept* kept = new Kept();
  return *kept;
}

// Sizes rounded up, so calls of nearly the same size share blocks.
std::size_t RoundUp(std::size_t bytes, std::size_t unit) { return (bytes + unit - 1) & ~(unit - 1); }

#if defined(__linux__) || defined(__APPLE__)
// `capacity` bytes mapped from the system, aligned to `align` (a power of two, a multiple of the
// page size): the slack mapped for the alignment is unmapped again.
void* MapBlock(std::size_t capacity, std::size_t align) {
  const std::size_t span = capacity + align;
  if (span < capacity) return nullptr;
  void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  const auto begin = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (begin + align - 1) & ~(align - 1);
  if (aligned > begin) munmap(raw, aligned - begin);
  const std::uintptr_t tail = aligned + capacity, end = begin + span;
  if (end > tail) munmap(reinterpret_cast<void*>(tail), end - tail);
  return reinterpret_cast<void*>(aligned);
}

void* NewBlock(std::size_t capacity) {
  const bool large = capacity >= kMinLargeBytes;
  void* p = MapBlock(capacity, large ? kHugePage : 4096);
  if (p != nullptr && large) AdviseHugePages(p, capacity);
  return p;
}

void FreeBlock(void* data, std::size_t capacity) { munmap(data, capacity); }
#else
// Windows' heap maps blocks this large from the system and returns them when freed.
void* NewBlock(std::size_t capacity) { return std::malloc(capacity); }
void FreeBlock(void* data, std::size_t) { std::free(data); }
#endif

// The kept block that best fits `capacity` (the smallest big enough, wasting at most half),
// taken out of the list; null if none fits.
void* TakeKept(std::size_t capacity, std::size_t* got) {
  Kept& kept = KeptBlocks();
  std::lock_guard<std::mutex> lock(kept.mutex);
  std::size_t best = kept.blocks.size();
  for (std::size_t i = 0; i < kept.blocks.size(); ++i) {
    const std::size_t c = kept.blocks[i].capacity;
    if (c >= capacity && c / kMaxWaste <= capacity && (best == kept.blocks.size() || c < kept.blocks[best].capacity)) {
      best = i;
    }
  }
  if (best == kept.blocks.size()) return nullptr;
  const Block block = kept.blocks[best];
  kept.blocks.erase(kept.blocks.begin() + static_cast<std::ptrdiff_t>(best));
  kept.bytes -= block.capacity;
  *got = block.capacity;
  return block.data;
}

// Takes out of the list, into `out`, the blocks `leave` says must go (oldest first); returns how many.
template <class Leave>
std::size_t TakeLeaving(Kept& kept, Block* out, Leave leave) {
  std::size_t count = 0;
  while (!kept.blocks.empty() && leave(kept.blocks.front())) {
    out[count++] = kept.blocks.front();
    kept.bytes -= kept.blocks.front().capacity;
    kept.blocks.erase(kept.blocks.begin());
  }
  return count;
}

}  // namespace

void AdviseHugePages(void* data, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (bytes < kMinLargeBytes) return;
  const auto begin = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t first = (begin + kHugePage - 1) & ~(kHugePage - 1);
  const std::uintptr_t last = (begin + bytes) & ~(kHugePage - 1);
  if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

void* AcquireCopyBlock(std::size_t bytes, std::size_t* capacity) {
  if (bytes < kMinKeptBytes) {
    *capacity = bytes;
    return std::malloc(bytes == 0 ? 1 : bytes);
  }
  const std::size_t rounded = RoundUp(bytes, bytes >= kMinLargeBytes ? kHugePage : kMinKeptBytes);
  if (rounded < bytes) return nullptr;
  if (void* kept = TakeKept(rounded, capacity)) return kept;
  *capacity = rounded;
  return NewBlock(rounded);
}

void ReleaseCopyBlock(void* block, std::size_t capacity) {
  if (block == nullptr) return;
  if (capacity < kMinKeptBytes) {
    std::free(block);
    return;
  }
  if (capacity > kMaxKeptBytes) {
    FreeBlock(block, capacity);
    return;
  }
#if defined(__linux__) && defined(MADV_FREE)
  // Its contents are never read again (every use overwrites what it reads): the system may take
  // the pages back under pressure, and while it has not, reuse costs no fault. Refused (a kernel
  // before 4.5): the block is simply kept as it is. Only large blocks: they are whole pages.
  if (capacity >= kMinLargeBytes) madvise(block, capacity, MADV_FREE);
#endif
  Block evicted[kMaxKeptBlocks + 1];
  std::size_t count = 0;
  {
    Kept& kept = KeptBlocks();
    std::lock_guard<std::mutex> lock(kept.mutex);
    kept.blocks.push_back({block, capacity, Clock::now()});
    kept.bytes += capacity;
    count = TakeLeaving(kept, evicted, [&](const Block&) {
      return kept.blocks.size() > kMaxKeptBlocks || kept.bytes > kMaxKeptBytes;
    });
  }
  for (std::size_t i = 0; i < count; ++i) FreeBlock(evicted[i].data, evicted[i].capacity);
}

void ReleaseIdleCopyBlocks() {
  Block idle[kMaxKeptBlocks + 1];
  std::size_t count = 0;
  {
    Kept& kept = KeptBlocks();
    const Clock::time_point before = Clock::now() - kKeptBlockIdle;
    std::lock_guard<std::mutex> lock(kept.mutex);
    count = TakeLeaving(kept, idle, [&](const Block& b) { return b.keptAt <= before; });
  }
  for (std::size_t i = 0; i < count; ++i) FreeBlock(idle[i].data, idle[i].capacity);
}

std::size_t KeptCopyBytes() {
  Kept& kept = KeptBlocks();
  std::lock_guard<std::mutex> lock(kept.mutex);
  return kept.bytes;
}

void CopyOnThreads(void* to, const void* from, std::size_t bytes, std::size_t threads) {
  const std::size_t parts = std::min(threads, bytes / kMinBytesPerThread);
  if (parts < 2) {
    std::memcpy(to, from, bytes);
    return;
  }
  auto* dst = static_cast<unsigned char*>(to);
  const auto* src = static_cast<const unsigned char*>(from);
  // Part k is [bytes*k/parts, bytes*(k+1)/parts); the calling thread copies part 0.
  const auto begin = [bytes, parts](std::size_t k) { return bytes / parts * k + bytes % parts * k / parts; };
  std::vector<std::thread> helpers;
  for (std::size_t k = 1; k < parts; ++k) {
    try {
      helpers.emplace_back([=] { std::memcpy(dst + begin(k), src + begin(k), begin(k + 1) - begin(k)); });
    } catch (...) {
      // No thread to be had (std::system_error, bad_alloc): this thread copies the rest itself.
      std::memcpy(dst + begin(k), src + begin(k), bytes - begin(k));
      break;
    }
  }
  std::memcpy(dst, src, begin(1));
  for (std::thread& helper : helpers) helper.join();
}

}  // namespace farfan
