// The memory of an async call's copies (docs/contract.md §7: arrays not over a SharedArrayBuffer are copied
// in on the JS thread, and results copied back there). At n = 10⁶ a call over plain
// Float64Arrays copies 960 MB in and 330 MB out; into memory never touched before, each page
// costs a fault on first write, which made the copy most of the call (the columns benchmark).
// So large copy blocks are kept when a call ends and given to the next call, and large copies
// are split over the call's threads while the JS thread waits for them.
#pragma once

#include <chrono>
#include <cstddef>

namespace farfan {

// Transparent huge pages on x86-64 and arm64 Linux: one fault maps 2 MiB instead of 4 KiB.
constexpr std::size_t kHugePage = std::size_t{2} << 20;

// Asks for huge pages over the whole 2 MiB pages inside [data, data + bytes), for spans of at
// least two (smaller ones are not worth the call): memory about to be written for the first
// time is then faulted in once per 2 MiB instead of once per 4 KiB. Advice only: refused,
// unsupported or THP off, nothing changes; the contents never do.
void AdviseHugePages(void* data, std::size_t bytes);

// What is kept for reuse, at most: kMaxKeptBlocks blocks and kMaxKeptBytes in all.
constexpr std::size_t kMaxKeptBlocks = 16;
constexpr std::size_t kMaxKeptBytes = std::size_t{2} << 30;
// A kept block no call has taken for this long goes back to the system (ReleaseIdleCopyBlocks).
constexpr std::chrono::seconds kKeptBlockIdle{10};

// Memory for a copy of `bytes` (aligned for doubles): a kept block when one fits, else new
// memory; null when none can be had. `*capacity` receives the block's size, which
// ReleaseCopyBlock needs back. Blocks from 64 KiB up are mapped from the system directly, so
// freeing one gives its pages back at once (malloc's heap would keep them). Thread-safe.
void* AcquireCopyBlock(std::size_t bytes, std::size_t* capacity);

// Gives a block from AcquireCopyBlock back: kept for a later call while the kept blocks stay
// within the bounds above, else freed. Kept blocks are marked free-on-pressure (MADV_FREE where
// Linux has it), so memory the system needs is taken back rather than pinned. Thread-safe.
void ReleaseCopyBlock(void* block, std::size_t capacity);

// Frees the kept blocks no call has taken for kKeptBlockIdle. Thread-safe.
void ReleaseIdleCopyBlocks();

// The bytes kept now. Thread-safe.
std::size_t KeptCopyBytes();

// memcpy of `bytes`, on up to `threads` threads (the caller's included) when large enough to
// pay for starting them; the calling thread waits until every part is copied. Never throws.
// Threads of its own rather than ThreadPool::Run: results are copied back in the completion
// callback, where nothing may throw, and Run can throw after queueing part of a job (its queue
// grows); a thread that cannot be started here just leaves its part to the calling thread.
void CopyOnThreads(void* to, const void* from, std::size_t bytes, std::size_t threads);

}  // namespace farfan
