#include "copy_memory.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace farfan {

namespace {

// Blocks from 64 KiB up are kept, at most kMaxKept of them and kMaxKeptBytes in all: one call at
// n = 10⁶ over plain arrays copies 2 × 480 MB of inputs and 330 MB of outputs in 7 blocks. Small
// ones too: glibc gives memory past its top back to the system as soon as it is freed, so at
// n = 1,024 (1.3 MB of copies) each call faulted its copies in anew: 1.1 ms against 76 µs in place.
constexpr std::size_t kMinKeptBytes = std::size_t{64} << 10;
// From here a block is huge-page aligned and advised, and marked free-on-pressure while kept.
constexpr std::size_t kMinLargeBytes = 2 * kHugePage;
constexpr std::size_t kMaxKept = 16;
constexpr std::size_t kMaxKeptBytes = std::size_t{2} << 30;
// A kept block serves a request of at least half its size, so little of it lies unused.
constexpr std::size_t kMaxWaste = 2;
// Below this a copy is not worth a thread: starting one costs tens of microseconds.
constexpr std::size_t kMinBytesPerThread = std::size_t{4} << 20;

struct Block {
  void* data;
  std::size_t capacity;
};

// Never destroyed: a call may end on a pool thread while the process exits.
struct Kept {
  Kept() { blocks.reserve(kMaxKept + 1); }  // so no push_back below allocates
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

void* NewLargeBlock(std::size_t capacity) {
#if defined(__linux__) || defined(__APPLE__)
  void* p = nullptr;
  if (posix_memalign(&p, kHugePage, capacity) != 0) return nullptr;
  AdviseHugePages(p, capacity);
  return p;
#else
  return std::malloc(capacity);  // Windows has no posix_memalign; malloc's alignment serves doubles
#endif
}

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
  const bool large = bytes >= kMinLargeBytes;
  const std::size_t rounded = RoundUp(bytes, large ? kHugePage : kMinKeptBytes);
  if (void* kept = TakeKept(rounded, capacity)) return kept;
  *capacity = rounded;
  return large ? NewLargeBlock(rounded) : std::malloc(rounded);
}

void ReleaseCopyBlock(void* block, std::size_t capacity) {
  if (block == nullptr) return;
  if (capacity < kMinKeptBytes || capacity > kMaxKeptBytes) {
    std::free(block);
    return;
  }
#if defined(__linux__) && defined(MADV_FREE)
  // Its contents are never read again (every use overwrites what it reads): the system may take
  // the pages back under pressure, and while it has not, reuse costs no fault. Refused (a kernel
  // before 4.5): the block is simply kept as it is. Only large blocks: they are whole pages.
  if (capacity >= kMinLargeBytes) madvise(block, capacity, MADV_FREE);
#endif
  Block evicted[kMaxKept + 1];
  std::size_t count = 0;
  {
    Kept& kept = KeptBlocks();
    std::lock_guard<std::mutex> lock(kept.mutex);
    kept.blocks.push_back({block, capacity});
    kept.bytes += capacity;
    while (kept.blocks.size() > kMaxKept || kept.bytes > kMaxKeptBytes) {
      evicted[count++] = kept.blocks.front();
      kept.bytes -= kept.blocks.front().capacity;
      kept.blocks.erase(kept.blocks.begin());
    }
  }
  for (std::size_t i = 0; i < count; ++i) std::free(evicted[i].data);
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
