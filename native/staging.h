// Where the arrays a call's kernel reads and writes live while it runs: deciding that, and making
// the copies it takes, is this step's job, after args.cc has read the arguments as views.
// docs/contract.md §7: an async call must not touch memory a transfer or resize could free under
// it, so it works in place only on arrays over a SharedArrayBuffer (which cannot be detached and
// only grows; the call holds a reference to them) and on memory of its own for every other
// array: a copy of each input, made now on the JS thread, and a block for each output, copied
// back at completion on the JS thread if the caller's array is still there (addon.cc), or handed
// over when the caller left the output to the call. A sync call runs to its end before any
// JavaScript can run, so it works on the caller's memory in place. No N-API here.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "abi.h"

namespace farfan {

// A typed-array argument as the engine showed it while the arguments were read.
struct ArrayView {
  void* data = nullptr;
  std::size_t length = 0;  // elements
  std::size_t bytes = 0;
  bool shared = false;  // over a SharedArrayBuffer (asked by async calls only)
  bool null = false;    // the argument was null (abi::Null says what that means)
};

// Every array argument the kernel reads (kInput) or writes (kOutput) lives in one of three
// places while the call runs.
enum class Placement {
  kInPlace,  // the caller's memory: any array of a sync call, a SharedArrayBuffer's of an async one
  kCopy,     // the call's own memory: a copy of an input, or an output copied back at completion
  kHanded,   // the call's own memory for an output the caller left null, handed over when complete
};

struct StagedArray {
  std::size_t position = 0;  // in the call's argument list
  const char* name = nullptr;
  bool output = false;
  std::size_t bytes = 0;
  Placement placement = Placement::kInPlace;
  void* data = nullptr;  // where the kernel reads or writes it
};

class CallArrays {
 public:
  static constexpr std::size_t kMaxArrays = abi::kMaxArrays;

  // Adds the array at `position`, read (abi::Role::kInput) or written (kOutput) by the kernel (at
  // most kMaxArrays; inputs before outputs).
  void Add(std::size_t position, const char* name, abi::Role role, const ArrayView& view);
  // A sync call: every array in place; outputs advised for huge pages (AdviseHugePages), which
  // changes nothing on memory already touched.
  void PlaceInPlace();
  // An async call on up to `threads` threads: see the top of this file. Inputs with the same
  // memory share one copy. Returns null, or the array whose memory could not be had (the
  // memory of the others is then freed with this object).
  const StagedArray* Stage(std::size_t threads);

  std::size_t Count() const { return count_; }
  const StagedArray& operator[](std::size_t i) const { return items_[i]; }
  // Where the kernel reads or writes the array at `position`; null for an array not added.
  void* Data(std::size_t position) const;
  // Copies what the kernel wrote to output `i` into `target` (the caller's array, or a buffer
  // for an output whose block could not be handed over), on the call's threads.
  void CopyOut(std::size_t i, void* target) const;
  // The capacity of output `i`'s block (kHanded), which ReleaseCopyBlock needs back.
  std::size_t Capacity(std::size_t i) const;
  // Output `i`'s block (kHanded) now belongs to whoever it was handed to: not freed with the call.
  void Disown(std::size_t i);

 private:
  struct Free {
    std::size_t capacity = 0;  // the block's size, from AcquireCopyBlock (copy_memory.h)
    void operator()(void* p) const;
  };
  using Block = std::unique_ptr<void, Free>;

  Block* BlockOf(std::size_t i);

  StagedArray items_[kMaxArrays];
  void* callerData_[kMaxArrays] = {};  // the caller's memory, as the arguments showed it
  std::size_t count_ = 0;
  std::size_t threads_ = 1;  // the call's threads, which also share its large copies
  std::vector<Block> blocks_;
};

}  // namespace farfan
