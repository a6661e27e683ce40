#include "staging.h"

#include "copy_memory.h"

namespace farfan {

void CallArrays::Free::operator()(void* p) const { ReleaseCopyBlock(p, capacity); }

void CallArrays::Add(std::size_t position, const char* name, abi::Role role, const ArrayView& view) {
  StagedArray& a = items_[count_];
  a.position = position;
  a.name = name;
  a.output = role == abi::Role::kOutput;
  a.bytes = view.bytes;
  a.data = view.data;
  // Only an output left to the call is null here (args.cc refuses any other).
  a.placement = view.null ? Placement::kHanded : view.shared ? Placement::kInPlace : Placement::kCopy;
  callerData_[count_] = view.data;
  ++count_;
}

void CallArrays::PlaceInPlace() {
  for (std::size_t i = 0; i < count_; ++i) {
    items_[i].placement = Placement::kInPlace;
    if (items_[i].output) AdviseHugePages(items_[i].data, items_[i].bytes);
  }
}

const StagedArray* CallArrays::Stage(std::size_t threads) {
  threads_ = threads;
  for (std::size_t i = 0; i < count_; ++i) {
    StagedArray& a = items_[i];
    // Outputs written in place (new ones over SharedArrayBuffers, say) get the advice copies get.
    if (a.placement == Placement::kInPlace && a.output) AdviseHugePages(a.data, a.bytes);
    if (a.placement == Placement::kInPlace) continue;
    if (a.bytes == 0) {
      // Nothing to read or write: no memory to stage, and nothing a detach could take away.
      if (a.placement == Placement::kCopy) a.placement = Placement::kInPlace;
      continue;
    }
    void* shared = nullptr;
    for (std::size_t m = 0; m < i && !a.output && shared == nullptr; ++m) {
      const StagedArray& earlier = items_[m];
      if (earlier.placement == Placement::kCopy && callerData_[m] == callerData_[i] && earlier.bytes == a.bytes) shared = earlier.data;
    }
    if (shared != nullptr) {
      a.data = shared;
      continue;
    }
    std::size_t capacity = 0;
    void* memory = AcquireCopyBlock(a.bytes, &capacity);
    if (memory == nullptr) return &a;
    blocks_.emplace_back(memory, Free{capacity});
    if (!a.output) CopyOnThreads(memory, callerData_[i], a.bytes, threads_);
    a.data = memory;
  }
  return nullptr;
}

void* CallArrays::Data(std::size_t position) const {
  for (std::size_t i = 0; i < count_; ++i) {
    if (items_[i].position == position) return items_[i].data;
  }
  return nullptr;
}

void CallArrays::CopyOut(std::size_t i, void* target) const { CopyOnThreads(target, items_[i].data, items_[i].bytes, threads_); }

CallArrays::Block* CallArrays::BlockOf(std::size_t i) {
  for (Block& block : blocks_) {
    if (block.get() == items_[i].data) return &block;
  }
  return nullptr;
}

std::size_t CallArrays::Capacity(std::size_t i) const {
  for (const Block& block : blocks_) {
    if (block.get() == items_[i].data) return block.get_deleter().capacity;
  }
  return 0;
}

void CallArrays::Disown(std::size_t i) {
  if (Block* block = BlockOf(i)) static_cast<void>(block->release());
}

}  // namespace farfan
