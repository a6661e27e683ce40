// The N-API surface, in node-addon-api: aggregate and monteCarlo (sync), aggregateAsync and
// monteCarloAsync (a promise settled when the call, run on the package's own threads, is done),
// cancelAll, info, setPoolSize, adjustExternalMemory, and parseNumbers, formatNumbers, scanCsv,
// formatCsvRows and indexKeys (text_calls.h). Every call's arguments are those of its table in abi.h; per-environment
// state (the thread pool, the calls in flight) lives in the addon instance, which Node destroys
// at environment cleanup, so the addon may be loaded by several worker_threads.
#include <napi.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <thread>
#include <utility>

#include "coded_error.h"
#include "abi.h"
#include "aggregate.h"
#include "args.h"
#include "async_calls.h"
#include "copy_memory.h"
#include "cpu.h"
#include "error_codes.h"
#include "montecarlo.h"
#include "number_text.h"
#include "text_calls.h"
#include "pool.h"
#include "staging.h"

#define FARFAN_STR2(x) #x
#define FARFAN_STR(x) FARFAN_STR2(x)
#ifdef FARFAN_ADDON_VERSION
#define FARFAN_VERSION_STRING FARFAN_STR(FARFAN_ADDON_VERSION)
#else
#define FARFAN_VERSION_STRING "0.0.0-unknown"
#endif

namespace farfan {

namespace {

// A node-addon-api call that fails (as they do while a worker thread is terminated) leaves a
// pending exception and returns an empty value, whose environment is null: any call on that
// value is a fatal error of the process. Every value made on the JS thread after the call ran
// is therefore checked before it is used; the promise then settles with the pending exception.

// Writes `stats` into the call's `stats` argument, a Float64Array(kStatsLength) its reader
// checked (call_stats.h).
void WriteStats(const CallStats& stats, double* out) {
  out[kStatsThreads] = static_cast<double>(stats.threads);
  out[kStatsBusyMs] = stats.busyMs;
  out[kStatsWallMs] = stats.wallMs;
  out[kStatsIsa] = static_cast<double>(static_cast<int>(stats.isa));
}

// null, or { slots, values, isStd, truncated }: the bad slots a checked call recorded.
Napi::Value BadSlotsValue(Napi::Env env, const BadSlots& bad) {
  if (bad.count == 0 && !bad.truncated) return env.Null();
  Napi::Array slots = Napi::Array::New(env, bad.count);
  Napi::Array values = Napi::Array::New(env, bad.count);
  Napi::Array isStd = Napi::Array::New(env, bad.count);
  if (slots.IsEmpty() || values.IsEmpty() || isStd.IsEmpty()) return Napi::Value();
  for (std::size_t i = 0; i < bad.count; ++i) {
    const auto k = static_cast<std::uint32_t>(i);
    slots.Set(k, static_cast<double>(bad.slots[i].index));
    values.Set(k, bad.slots[i].value);
    isStd.Set(k, bad.slots[i].isStd);
  }
  Napi::Object out = Napi::Object::New(env);
  if (out.IsEmpty()) return out;
  out.Set("slots", slots);
  out.Set("values", values);
  out.Set("isStd", isStd);
  out.Set("truncated", bad.truncated);
  return out;
}

// What differs between the two calls: their table, how a request is made of the arguments read,
// what runs, and what a call returns. The sync and async entries and JobCall are written once
// over these.
struct AggregateJob {
  using Arg = abi::AggregateArg;
  using Request = AggregateRequest;
  using Result = AggregateResult;
  static constexpr const abi::Call& kCall = abi::kAggregate;
  static constexpr Arg kStats = Arg::kStats;
  static constexpr Arg kThreads = Arg::kThreads;
  static constexpr Arg kControl = Arg::kControl;

  static bool Check(const CallArgs&) { return true; }
  static void Bind(const CallArgs& args, const CallArrays& arrays, Request* q) {
    KernelArgs& k = q->kernel;
    q->evaluations = args.Evaluations();
    k.scores = static_cast<const double*>(arrays.Data(Index(Arg::kScores)));
    // No stds (σ = 0): the kernel reads the scores in their place, unchecked (kernel.h).
    k.checkStds = !args.Array(Arg::kStds).null;
    k.stds = k.checkStds ? static_cast<const double*>(arrays.Data(Index(Arg::kStds))) : k.scores;
    k.weights = static_cast<const double*>(arrays.Data(Index(Arg::kWeights)));
    k.sharedWeights = args.Array(Arg::kWeights).length == kSlots;
    const auto* thresholds = static_cast<const double*>(args.Array(Arg::kThresholds).data);
    std::copy(thresholds, thresholds + 3, k.thresholds);
    k.score = static_cast<double*>(arrays.Data(Index(Arg::kScore)));
    k.std = static_cast<double*>(arrays.Data(Index(Arg::kStd)));
    k.ciLow = static_cast<double*>(arrays.Data(Index(Arg::kCiLow)));
    k.ciHigh = static_cast<double*>(arrays.Data(Index(Arg::kCiHigh)));
    k.quality = static_cast<std::uint8_t*>(arrays.Data(Index(Arg::kQuality)));
    q->isa = args.IsaOf(Arg::kIsa);
    q->threads = static_cast<unsigned>(args.Number(Arg::kThreads));
    q->check = args.Flag(Arg::kCheck);
    if (args.Given(Arg::kMinChunk)) q->minChunk = static_cast<std::size_t>(args.Number(Arg::kMinChunk));
  }
  static Result Run(const Request& q, ThreadPool& pool) { return Aggregate(q, pool); }
  static bool Cancelled(const Result& r) { return r.cancelled; }
  // Outputs are only worth copying back when no slot was bad.
  static bool Complete(const Result& r) { return r.bad.count == 0; }
  // Sync: what the check found.
  static Napi::Value Returned(Napi::Env env, const Result& r) { return BadSlotsValue(env, r.bad); }
  // Async: that, and the outputs the call handed over (null when the caller gave its own).
  static Napi::Value Resolved(Napi::Env env, const Result& r, Napi::Value outputs) {
    Napi::Object out = Napi::Object::New(env);
    if (out.IsEmpty()) return out;
    out.Set("bad", BadSlotsValue(env, r.bad));
    out.Set("outputs", outputs);
    return out;
  }
  static constexpr std::size_t Index(Arg arg) { return static_cast<std::size_t>(arg); }
};

static_assert(abi::kAggregateArgs[AggregateJob::Index(AggregateJob::kStats)].fixedLength == kStatsLength,
              "abi.json's aggregate stats length is call_stats.h's layout");

struct MonteCarloJob {
  using Arg = abi::MonteCarloArg;
  using Request = MonteCarloRequest;
  using Result = MonteCarloResult;
  static constexpr const abi::Call& kCall = abi::kMonteCarlo;
  static constexpr Arg kStats = Arg::kStats;
  static constexpr Arg kThreads = Arg::kThreads;
  static constexpr Arg kControl = Arg::kControl;

  static bool Check(const CallArgs& args) {
    const auto first = static_cast<std::uint64_t>(args.Number(Arg::kFirstEvaluation));
    if (first + args.Evaluations() <= (std::uint64_t{1} << 53)) return true;
    return args.Fail(Arg::kFirstEvaluation, "plus n must not exceed 2^53 (evaluation indices must stay exact in JavaScript)");
  }
  static void Bind(const CallArgs& args, const CallArrays& arrays, Request* q) {
    q->evaluations = args.Evaluations();
    q->firstEvaluation = static_cast<std::uint64_t>(args.Number(Arg::kFirstEvaluation));
    q->scores = static_cast<const double*>(arrays.Data(Index(Arg::kScores)));
    q->stds = static_cast<const double*>(arrays.Data(Index(Arg::kStds)));
    q->weights = static_cast<const double*>(arrays.Data(Index(Arg::kWeights)));
    q->sharedWeights = args.Array(Arg::kWeights).length == kSlots;
    q->score = static_cast<const double*>(arrays.Data(Index(Arg::kScore)));
    q->std = static_cast<double*>(arrays.Data(Index(Arg::kStd)));
    q->ciLow = static_cast<double*>(arrays.Data(Index(Arg::kCiLow)));
    q->ciHigh = static_cast<double*>(arrays.Data(Index(Arg::kCiHigh)));
    q->seed = static_cast<std::uint64_t>(args.Number(Arg::kSeed));
    q->samples = static_cast<std::uint32_t>(args.Number(Arg::kSamples));
    q->isa = args.IsaOf(Arg::kIsa);
    q->threads = static_cast<unsigned>(args.Number(Arg::kThreads));
    if (args.Given(Arg::kMinSamplesPerThread)) {
      q->minSamplesPerThread = static_cast<std::size_t>(args.Number(Arg::kMinSamplesPerThread));
    }
  }
  static Result Run(const Request& q, ThreadPool& pool) { return MonteCarlo(q, pool); }
  static bool Cancelled(const Result& r) { return r.cancelled; }
  static bool Complete(const Result&) { return true; }
  static Napi::Value Returned(Napi::Env env, const Result&) { return env.Undefined(); }
  static Napi::Value Resolved(Napi::Env env, const Result&, Napi::Value) { return env.Undefined(); }
  static constexpr std::size_t Index(Arg arg) { return static_cast<std::size_t>(arg); }
};

static_assert(abi::kMonteCarloArgs[MonteCarloJob::Index(MonteCarloJob::kStats)].fixedLength == kStatsLength,
              "abi.json's monteCarlo stats length is call_stats.h's layout");

// Largest external ArrayBuffer Node creates (buffer.constants.MAX_LENGTH on 64-bit Node 20). The
// test-only FARFAN_AGGREGATOR_TEST_MAX_EXTERNAL_BYTES lowers it, with Node's behaviour past it, so
// tests reach that path without allocating gigabytes; read at each hand-over (on the JS thread).
std::size_t MaxExternalBytes() {
  const char* text = std::getenv("FARFAN_AGGREGATOR_TEST_MAX_EXTERNAL_BYTES");
  const unsigned long long value = text != nullptr ? std::strtoull(text, nullptr, 10) : 0;
  return value != 0 ? static_cast<std::size_t>(value) : std::size_t{1} << 32;
}

// A block handed over with an external ArrayBuffer. While the buffer is being created,
// `creating` is set and the finalizer only notes that it ran (Node calls it at once when it
// refuses the buffer, past its size limit), so the block stays the call's to copy and free.
struct HandedBlock {
  std::size_t capacity;
  bool creating = true;
  bool refused = false;
};

// Gives a handed-over block back to the kept blocks once V8 has collected its buffer, when no
// JavaScript can see the memory any more.
void ReturnBlock(napi_env, void* data, void* hint) {
  auto* block = static_cast<HandedBlock*>(hint);
  if (block->creating) {
    block->refused = true;
    return;
  }
  ReleaseCopyBlock(data, block->capacity);
  delete block;
}

// An external ArrayBuffer over `data`, or an empty value when Node refuses it (past its size
// limit, or in a sandbox that allows none); the block is then still the caller's. The C API's
// call, not node-addon-api's ArrayBuffer::New: when Node refuses a buffer it runs the finalizer
// at once, and ArrayBuffer::New then frees its finalizer data a second time.
Napi::Value ExternalBuffer(Napi::Env env, void* data, std::size_t bytes, std::size_t capacity) {
  auto* block = new (std::nothrow) HandedBlock{capacity};
  if (block == nullptr) return Napi::Value();
  napi_value buffer = nullptr;
  bool created = false;
  if (bytes <= MaxExternalBytes()) {
    created = napi_create_external_arraybuffer(env, data, bytes, ReturnBlock, block, &buffer) == napi_ok;
  } else {
    ReturnBlock(env, data, block);  // as Node does past its own limit
  }
  block->creating = false;
  if (created && !block->refused) return Napi::Value(env, buffer);
  delete block;
  if (env.IsExceptionPending()) env.GetAndClearPendingException();
  return Napi::Value();
}

// One async call (docs/contract.md §7). Run touches nothing but the request, whose pointers lead
// to the call's own memory or to SharedArrayBuffers it holds by reference, and the pool, which it
// co-owns (so the pool outlives the call even if the addon instance goes first). Settle, on the
// JS thread, copies results into the caller's arrays that were copied, if every one of them is
// still there, hands over the memory of outputs left to the call, and settles the promise.
template <class J>
class JobCall final : public AsyncCall {
 public:
  JobCall(const CallArgs& args, CallArrays arrays, std::shared_ptr<ThreadPool> pool, Napi::Promise::Deferred deferred)
      : pool_(std::move(pool)), arrays_(std::move(arrays)), deferred_(std::move(deferred)) {
    for (std::size_t i = 0; i < arrays_.Count(); ++i) {
      // Arrays used in place are held for the call; outputs copied back, to be found at the end.
      if (arrays_[i].placement != Placement::kHanded && (arrays_[i].placement == Placement::kInPlace || arrays_[i].output)) {
        refs_[i] = Napi::Persistent(args.Value(static_cast<typename J::Arg>(arrays_[i].position)).template As<Napi::Object>());
      }
    }
    stats_ = Napi::Persistent(args.Value(J::kStats).template As<Napi::Object>());
    const ControlView& control = args.Control(J::kControl);
    if (control.words != nullptr) {
      controlRef_ = Napi::Persistent(args.Value(J::kControl).template As<Napi::Object>());
      Control().Watch(control.words, control.length);
    }
  }

  // The request, its pointers leading to the staged arrays.
  void Bind(const CallArgs& args) {
    J::Bind(args, arrays_, &request_);
    request_.control = &Control();
  }
  unsigned Threads() const { return request_.threads; }

  void Run() override {
    try {
      result_ = J::Run(request_, *pool_);
      ok_ = true;
    } catch (const std::exception&) {
      ok_ = false;
    }
    ran_ = true;
  }

  void Settle(napi_env raw) override {
    const Napi::Env env(raw);
    Napi::Value settled = Outcome(env);
    // A failure of node-addon-api inside Outcome is a pending exception: the call rejects with it.
    if (env.IsExceptionPending()) settled = env.GetAndClearPendingException().Value();
    if (resolved_) deferred_.Resolve(settled);
    else deferred_.Reject(settled);
    Release(raw);
  }

  void Release(napi_env) override {
    for (Napi::ObjectReference& ref : refs_) ref.Reset();
    stats_.Reset();
    controlRef_.Reset();
  }

 private:
  static constexpr std::size_t kNone = CallArrays::kMaxArrays;

  // The value the promise settles with; sets resolved_ when it resolves.
  Napi::Value Outcome(Napi::Env env) {
    if (!ran_ || (ok_ && J::Cancelled(result_))) {
      return CodedError(env, codes::kCancelled,
                        std::string(J::kCall.asyncName) + ": cancelled (by its caller, or the environment is shutting down)")
          .Value();
    }
    if (!ok_) return CodedError(env, codes::kInternal, std::string(J::kCall.asyncName) + ": the native call failed (out of memory?)").Value();
    const bool complete = J::Complete(result_);
    if (complete) {
      const std::size_t gone = CopyBack();
      if (gone != kNone) {
        return CodedError(env, codes::kDetached,
                          std::string(J::kCall.asyncName) + ": output " + arrays_[gone].name +
                              " was detached, transferred or shrunk while the call ran; nothing was written to the outputs")
            .Value();
      }
    }
    const Napi::Value held = stats_.Value();
    if (held.IsEmpty()) return held;
    Napi::Float64Array stats = held.As<Napi::Float64Array>();
    if (stats.ElementLength() >= kStatsLength) WriteStats(result_, stats.Data());
    resolved_ = true;
    return J::Resolved(env, result_, complete ? HandOver(env) : env.Null());
  }

  // Copies the results of every copied output into the caller's array, if each is still
  // attached and long enough (its length asked of the engine now); else writes nothing and
  // returns the index of the first that is not.
  std::size_t CopyBack() {
    void* targets[CallArrays::kMaxArrays] = {};
    for (std::size_t i = 0; i < arrays_.Count(); ++i) {
      const StagedArray& a = arrays_[i];
      if (!a.output || a.placement != Placement::kCopy) continue;
      const Napi::Value held = refs_[i].Value();
      if (held.IsEmpty()) return i;
      const Napi::TypedArray array = held.As<Napi::TypedArray>();
      const std::size_t bytes = array.ElementLength() * array.ElementSize();
      Napi::ArrayBuffer buffer = array.ArrayBuffer();
      if (buffer.IsEmpty()) return i;
      targets[i] = buffer.Data();
      if (targets[i] == nullptr || bytes < a.bytes) return i;
      targets[i] = static_cast<std::uint8_t*>(targets[i]) + array.ByteOffset();
    }
    for (std::size_t i = 0; i < arrays_.Count(); ++i) {
      if (targets[i] != nullptr) arrays_.CopyOut(i, targets[i]);
    }
    return kNone;
  }

  // The outputs the caller left to the call, as ArrayBuffers over the call's own memory, in
  // argument order; null when there are none. Each buffer takes its memory with it and gives it
  // back to the kept blocks when V8 collects it (ReturnBlock), so the next call's outputs are
  // memory already faulted in. Where an external buffer is refused (past Node's size limit, or
  // in Electron's sandbox), the results are copied into an ordinary ArrayBuffer instead.
  Napi::Value HandOver(Napi::Env env) {
    Napi::Array handed = Napi::Array::New(env);
    if (handed.IsEmpty()) return handed;
    for (std::size_t i = 0; i < arrays_.Count(); ++i) {
      if (arrays_[i].placement == Placement::kHanded) handed.Set(handed.Length(), HandOverOne(env, i));
    }
    return handed.Length() == 0 ? env.Null() : Napi::Value(handed);
  }

  Napi::Value HandOverOne(Napi::Env env, std::size_t i) {
    const StagedArray& a = arrays_[i];
    const std::size_t capacity = arrays_.Capacity(i);
    if (capacity != 0) {
      const Napi::Value buffer = ExternalBuffer(env, a.data, a.bytes, capacity);
      if (!buffer.IsEmpty()) {
        arrays_.Disown(i);  // the buffer's now: ReturnBlock gives it back
        return buffer;
      }
    }
    Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, a.bytes);
    if (a.bytes != 0 && !buffer.IsEmpty()) arrays_.CopyOut(i, buffer.Data());
    return buffer;
  }

  std::shared_ptr<ThreadPool> pool_;
  CallArrays arrays_;
  Napi::Promise::Deferred deferred_;
  typename J::Request request_;
  Napi::ObjectReference refs_[CallArrays::kMaxArrays];
  Napi::ObjectReference stats_;
  Napi::ObjectReference controlRef_;  // the caller's control words, kept alive while the call runs
  typename J::Result result_;
  bool ok_ = false;
  bool ran_ = false;  // false: cancelled at teardown before it started
  bool resolved_ = false;
};

}  // namespace

class FarfanAddon final : public Napi::Addon<FarfanAddon> {
 public:
  FarfanAddon(Napi::Env env, Napi::Object exports)
      : pool_(std::make_shared<ThreadPool>()), calls_(std::make_unique<AsyncCalls>(env)) {
    // Enumerable, like the properties of an ordinary CommonJS exports object.
    constexpr auto kExport = napi_default_jsproperty;
    DefineAddon(exports, {
                             InstanceMethod("aggregate", &FarfanAddon::Sync<AggregateJob>, kExport),
                             InstanceMethod("aggregateAsync", &FarfanAddon::Async<AggregateJob>, kExport),
                             InstanceMethod("monteCarlo", &FarfanAddon::Sync<MonteCarloJob>, kExport),
                             InstanceMethod("monteCarloAsync", &FarfanAddon::Async<MonteCarloJob>, kExport),
                             InstanceMethod("cancelAll", &FarfanAddon::CancelAll, kExport),
                             InstanceMethod("info", &FarfanAddon::Info, kExport),
                             InstanceMethod("setPoolSize", &FarfanAddon::SetPoolSize, kExport),
                             InstanceMethod("adjustExternalMemory", &FarfanAddon::AdjustExternalMemory, kExport),
                             InstanceMethod("parseNumbers", &FarfanAddon::ParseNumbersCall, kExport),
                             InstanceMethod("formatNumbers", &FarfanAddon::FormatNumbersCall, kExport),
                             InstanceMethod("scanCsv", &FarfanAddon::ScanCsvCall, kExport),
                             InstanceMethod("formatCsvRows", &FarfanAddon::FormatCsvRowsCall, kExport),
                             InstanceMethod("indexKeys", &FarfanAddon::IndexKeysCall, kExport),
                         });
  }

 private:
  // The arrays in place; the result's stats into `stats`; returns what J returns.
  template <class J>
  Napi::Value Sync(const Napi::CallbackInfo& info) {
    const Napi::Env env = info.Env();
    CallArgs args(info, J::kCall, CallMode::kSync);
    if (!args.Read() || !J::Check(args)) return Napi::Value();
    CallArrays arrays = args.KernelArrays();
    arrays.PlaceInPlace();
    typename J::Request request;
    J::Bind(args, arrays, &request);
    try {
      pool_->Reserve(request.threads);
      const typename J::Result result = J::Run(request, *pool_);
      WriteStats(result, static_cast<double*>(args.Array(J::kStats).data));
      return J::Returned(env, result);
    } catch (const std::exception& e) {
      CodedError(env, codes::kInternal, e.what()).ThrowAsJavaScriptException();
      return Napi::Value();
    }
  }

  // Argument errors reject the promise (they are not thrown), like every other failure.
  template <class J>
  Napi::Value Async(const Napi::CallbackInfo& info) {
    const Napi::Env env = info.Env();
    Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
    const Napi::Promise promise = deferred.Promise();
    try {
      CallArgs args(info, J::kCall, CallMode::kAsync);
      if (!args.Read() || !J::Check(args)) return Rejected(env, deferred);
      CallArrays arrays = args.KernelArrays();
      if (const StagedArray* failed = arrays.Stage(static_cast<std::size_t>(args.Number(J::kThreads)))) {
        const std::string message = std::string(J::kCall.asyncName) + ": out of memory for a copy of " + failed->name;
        deferred.Reject(CodedError(env, codes::kInternal, message).Value());
        return promise;
      }
      auto call = std::make_unique<JobCall<J>>(args, std::move(arrays), pool_, deferred);
      call->Bind(args);
      pool_->Reserve(call->Threads());
      if (!calls_->Submit(env, std::move(call))) {
        deferred.Reject(CodedError(env, codes::kInternal, std::string(J::kCall.asyncName) + ": cannot start a thread to run the call").Value());
      }
    } catch (const std::exception& e) {
      deferred.Reject(CodedError(env, codes::kInternal, e.what()).Value());
    }
    return promise;
  }

  // Rejects `deferred` with the exception pending; returns its promise.
  static Napi::Value Rejected(Napi::Env env, Napi::Promise::Deferred& deferred) {
    deferred.Reject(env.GetAndClearPendingException().Value());
    return deferred.Promise();
  }

  // cancelAll(): sets the cancellation flag of every async call in flight in this environment
  // (they reject with E_CANCELLED); returns how many there were. The TypeScript layer calls it
  // from the process 'exit' event.
  Napi::Value CancelAll(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(calls_->CancelAll()));
  }

  Napi::Value Info(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Isa isas[3];
    const std::size_t count = SupportedIsas(isas, 3);
    Napi::Array supported = Napi::Array::New(env, count);
    for (std::size_t i = 0; i < count; ++i) supported.Set(static_cast<uint32_t>(i), IsaName(isas[i]));
    Napi::Object out = Napi::Object::New(env);
    out.Set("version", FARFAN_VERSION_STRING);
    out.Set("abi", abi::kName);
    out.Set("supportedIsas", supported);
    out.Set("bestIsa", IsaName(BestIsa()));
    out.Set("hardwareThreads", static_cast<double>(std::max(1u, std::thread::hardware_concurrency())));
    out.Set("poolThreads", static_cast<double>(pool_->Threads()));
    out.Set("maxThreads", static_cast<double>(ThreadPool::kMaxThreads));
    out.Set("defaultMinChunk", static_cast<double>(kDefaultMinChunk));
    out.Set("defaultMinSamplesPerThread", static_cast<double>(kDefaultMinSamplesPerThread));
    out.Set("maxCallThreads", static_cast<double>(AsyncCalls::MaxCallThreads()));
    out.Set("keptBytes", static_cast<double>(KeptCopyBytes()));
    out.Set("maxKeptBytes", static_cast<double>(kMaxKeptBytes));
    out.Set("maxKeptBlocks", static_cast<double>(kMaxKeptBlocks));
    return out;
  }

  // setPoolSize(k): the pool runs a call on up to k threads (the caller plus k - 1 workers);
  // grows or shrinks, returns the size obtained.
  Napi::Value SetPoolSize(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const Napi::Value k = info[0];
    const double want = k.IsNumber() ? k.As<Napi::Number>().DoubleValue() : -1;
    if (!(want >= 1 && want <= ThreadPool::kMaxThreads && static_cast<double>(static_cast<unsigned>(want)) == want)) {
      Napi::Error error = Napi::RangeError::New(env, "setPoolSize: argument 1 (threads) must be an integer in [1, 256]");
      error.Set("code", codes::kArgs);
      error.ThrowAsJavaScriptException();
      return Napi::Value();
    }
    try {
      return Napi::Number::New(env, pool_->Resize(static_cast<unsigned>(want)));
    } catch (const std::exception& e) {
      CodedError(env, codes::kInternal, e.what()).ThrowAsJavaScriptException();
      return Napi::Value();
    }
  }

  // adjustExternalMemory(bytes): tells V8 that JS objects keep `bytes` more (or, negative,
  // fewer) of memory outside its heap alive, so it collects them as their size deserves. V8
  // counts ordinary ArrayBuffers itself but not SharedArrayBuffers, which the package's default
  // outputs are (the TypeScript side's shared-memory.ts). Returns V8's new total.
  Napi::Value AdjustExternalMemory(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const Napi::Value bytes = info[0];
    const double delta = bytes.IsNumber() ? bytes.As<Napi::Number>().DoubleValue() : 0;
    if (!bytes.IsNumber() || !(std::fabs(delta) <= kMaxSafeInteger && std::trunc(delta) == delta)) {
      Napi::Error error = Napi::RangeError::New(env, "adjustExternalMemory: argument 1 (bytes) must be a safe integer");
      error.Set("code", codes::kArgs);
      error.ThrowAsJavaScriptException();
      return Napi::Value();
    }
    return Napi::Number::New(env, static_cast<double>(Napi::MemoryManagement::AdjustExternalMemory(env, static_cast<int64_t>(delta))));
  }

  // Text for the table readers and writers (text_calls.h): no instance state.
  Napi::Value ParseNumbersCall(const Napi::CallbackInfo& info) { return ParseNumbers(info); }
  Napi::Value FormatNumbersCall(const Napi::CallbackInfo& info) { return FormatNumbers(info); }
  Napi::Value ScanCsvCall(const Napi::CallbackInfo& info) { return ScanCsvRecords(info); }
  Napi::Value FormatCsvRowsCall(const Napi::CallbackInfo& info) { return FormatCsvRows(info); }
  Napi::Value IndexKeysCall(const Napi::CallbackInfo& info) { return IndexPlanKeys(info); }

  std::shared_ptr<ThreadPool> pool_;
  std::unique_ptr<AsyncCalls> calls_;
};

}  // namespace farfan

using farfan::FarfanAddon;
NODE_API_NAMED_ADDON(farfan_aggregator, FarfanAddon)
