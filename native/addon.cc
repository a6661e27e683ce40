// The N-API surface: aggregate and monteCarlo (sync), aggregateAsync and monteCarloAsync
// (a promise settled when the call, run on the package's own threads, is done), cancelAll, info,
// setPoolSize. Per-environment state (the thread pool, the calls in flight) lives in the addon
// instance, which Node destroys at environment cleanup, so the addon may be loaded by several
// worker_threads.
#include <napi.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>

#include "aggregate.h"
#include "args.h"
#include "async_calls.h"
#include "copy_memory.h"
#include "cpu.h"
#include "montecarlo.h"
#include "pool.h"

#define FARFAN_STR2(x) #x
#define FARFAN_STR(x) FARFAN_STR2(x)
#ifdef FARFAN_ADDON_VERSION
#define FARFAN_VERSION_STRING FARFAN_STR(FARFAN_ADDON_VERSION)
#else
#define FARFAN_VERSION_STRING "0.0.0-unknown"
#endif

namespace farfan {

namespace {

// Builds a result object from `count` values: with `factory` (a compiled JS function returning
// an object literal, whose cached shape V8 creates far faster than property definitions through
// N-API: 0.9 instead of 2.1 µs per call) or else property by property. Plain C calls whose
// failures are returned, not thrown: the async completion may run while the environment is
// shutting down, when no JS may run and node-addon-api would abort.
napi_status MakeObject(napi_env env, const char* const* keys, const napi_value* values, std::size_t count,
                       napi_value factory, napi_value* out) {
  if (factory != nullptr) {
    napi_value undefined;
    const napi_status s = napi_get_undefined(env, &undefined);
    return s == napi_ok ? napi_call_function(env, undefined, factory, count, values, out) : s;
  }
  napi_property_descriptor props[10] = {};
  for (std::size_t i = 0; i < count; ++i) {
    props[i].utf8name = keys[i];
    props[i].value = values[i];
    props[i].attributes = napi_default_jsproperty;
  }
  const napi_status s = napi_create_object(env, out);
  return s == napi_ok ? napi_define_properties(env, *out, count, props) : s;
}

// { isa, threads, busyMs, wallMs, <extra...> } through MakeObject.
napi_status MakeStatsObject(napi_env env, const CallStats& stats, const napi_value* extra, const char* const* keys,
                            std::size_t count, napi_value factory, napi_value* out) {
  constexpr std::size_t kStatsFields = 4;
  const double numbers[kStatsFields - 1] = {static_cast<double>(stats.threads), stats.busyMs, stats.wallMs};
  napi_value values[10];
  napi_status s = napi_create_string_utf8(env, IsaName(stats.isa), NAPI_AUTO_LENGTH, &values[0]);
  for (std::size_t i = 1; i < kStatsFields && s == napi_ok; ++i) s = napi_create_double(env, numbers[i - 1], &values[i]);
  for (std::size_t i = kStatsFields; i < count; ++i) values[i] = extra[i - kStatsFields];
  return s == napi_ok ? MakeObject(env, keys, values, count, factory, out) : s;
}

// null, or { slots, values, isStd, truncated }: the bad slots a checked call recorded.
napi_status MakeBadSlots(napi_env env, const BadSlots& bad, napi_value* out) {
  if (bad.count == 0 && !bad.truncated) return napi_get_null(env, out);
  static constexpr const char* kKeys[] = {"slots", "values", "isStd", "truncated"};
  napi_value values[4];
  napi_status s = napi_ok;
  for (int k = 0; k < 3 && s == napi_ok; ++k) s = napi_create_array_with_length(env, bad.count, &values[k]);
  for (std::size_t i = 0; i < bad.count && s == napi_ok; ++i) {
    napi_value slot, value, isStd;
    s = napi_create_double(env, static_cast<double>(bad.slots[i].index), &slot);
    if (s == napi_ok) s = napi_create_double(env, bad.slots[i].value, &value);
    if (s == napi_ok) s = napi_get_boolean(env, bad.slots[i].isStd, &isStd);
    if (s == napi_ok) s = napi_set_element(env, values[0], static_cast<uint32_t>(i), slot);
    if (s == napi_ok) s = napi_set_element(env, values[1], static_cast<uint32_t>(i), value);
    if (s == napi_ok) s = napi_set_element(env, values[2], static_cast<uint32_t>(i), isStd);
  }
  if (s == napi_ok) s = napi_get_boolean(env, bad.truncated, &values[3]);
  return s == napi_ok ? MakeObject(env, kKeys, values, 4, nullptr, out) : s;
}

napi_value CodedError(napi_env env, const char* code, const char* message) {
  napi_value codeValue = nullptr, messageValue = nullptr, error = nullptr;
  if (napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &codeValue) != napi_ok ||
      napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &messageValue) != napi_ok ||
      napi_create_error(env, codeValue, messageValue, &error) != napi_ok) {
    return nullptr;
  }
  return error;
}

constexpr const char* kInternal = "E_NATIVE_INTERNAL";
constexpr const char* kDetached = "E_BUFFER_DETACHED";
constexpr const char* kCancelledCode = "E_CANCELLED";

// What differs between the calls: how arguments are read, what runs, what the result looks
// like. The sync and async entries and the worker are written once over these.
template <class Self, class P, class R, bool (*kParse)(napi_env, napi_callback_info, const char*, bool, P*),
          R (*kRun)(const decltype(P::request)&, ThreadPool&)>
struct Job {
  using Parsed = P;
  using Result = R;
  static bool Parse(napi_env env, napi_callback_info info, bool async, Parsed* out) {
    return kParse(env, info, async ? Self::kAsync : Self::kSync, async, out);
  }
  static Result Run(const Parsed& p, ThreadPool& pool) { return kRun(p.request, pool); }
};

// `handed`: an ArrayBuffer or null for each output, in argument order (JobCall::HandOver);
// null itself for a sync call.
struct AggregateJob : Job<AggregateJob, ParsedAggregate, AggregateResult, ParseAggregateArgs, Aggregate> {
  static constexpr const char* kSync = "aggregate";
  static constexpr const char* kAsync = "aggregateAsync";
  static constexpr std::size_t kOutputs = 5;
  static constexpr const char* kKeys[] = {"isa",         "threads",   "busyMs",       "wallMs",        "bad",
                                          "scoreBuffer", "stdBuffer", "ciLowBuffer", "ciHighBuffer", "qualityBuffer"};
  static constexpr const char* kFactorySource =
      "(function (isa, threads, busyMs, wallMs, bad, scoreBuffer, stdBuffer, ciLowBuffer, ciHighBuffer, qualityBuffer) "
      "{ return { isa, threads, busyMs, wallMs, bad, scoreBuffer, stdBuffer, ciLowBuffer, ciHighBuffer, qualityBuffer }; "
      "})";

  static void SetControl(Parsed* p, CallControl* control) { p->request.control = control; }
  static bool Cancelled(const Result& r) { return r.cancelled; }
  // Outputs are only worth copying back when no slot was bad.
  static bool Complete(const Result& r) { return r.bad.count == 0; }
  static napi_status Make(napi_env env, const Result& r, const napi_value* handed, napi_value factory, napi_value* out) {
    napi_value extra[1 + kOutputs];
    napi_status s = MakeBadSlots(env, r.bad, &extra[0]);
    for (std::size_t i = 0; i < kOutputs && s == napi_ok; ++i) {
      if (handed != nullptr) extra[1 + i] = handed[i];
      else s = napi_get_null(env, &extra[1 + i]);
    }
    return s == napi_ok ? MakeStatsObject(env, r, extra, kKeys, 5 + kOutputs, factory, out) : s;
  }
};

struct MonteCarloJob : Job<MonteCarloJob, ParsedMonteCarlo, MonteCarloResult, ParseMonteCarloArgs, MonteCarlo> {
  static constexpr const char* kSync = "monteCarlo";
  static constexpr const char* kAsync = "monteCarloAsync";
  static constexpr const char* kKeys[] = {"isa", "threads", "busyMs", "wallMs"};
  static constexpr const char* kFactorySource =
      "(function (isa, threads, busyMs, wallMs) { return { isa, threads, busyMs, wallMs }; })";

  static void SetControl(Parsed* p, CallControl* control) { p->request.control = control; }
  static bool Cancelled(const Result& r) { return r.cancelled; }
  static bool Complete(const Result&) { return true; }
  static constexpr std::size_t kOutputs = 3;
  static napi_status Make(napi_env env, const Result& r, const napi_value*, napi_value factory, napi_value* out) {
    return MakeStatsObject(env, r, nullptr, kKeys, 4, factory, out);
  }
};

// Largest external ArrayBuffer Node creates (buffer.constants.MAX_LENGTH on 64-bit Node 20). The
// test-only FARFAN_AGGREGATOR_TEST_MAX_EXTERNAL_BYTES lowers it, with Node's behaviour past it, so
// tests reach that path without allocating gigabytes; read at each hand-over (on the JS thread).
std::size_t MaxExternalBytes() {
  const char* text = std::getenv("FARFAN_AGGREGATOR_TEST_MAX_EXTERNAL_BYTES");
  const unsigned long long value = text != nullptr ? std::strtoull(text, nullptr, 10) : 0;
  return value != 0 ? static_cast<std::size_t>(value) : std::size_t{1} << 32;
}

// A block handed over with an external ArrayBuffer: while napi_create_external_arraybuffer
// runs, `creating` is set and the finalizer only notes that it ran (Node calls it at once when
// it refuses the buffer, past its size limit), so the block stays the call's to copy and free.
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

// napi_create_external_arraybuffer, except that past MaxExternalBytes() it behaves as Node does
// past its own limit: the finalizer runs at once and the call fails.
napi_status CreateExternal(napi_env env, void* data, std::size_t bytes, HandedBlock* block, napi_value* out) {
  if (bytes > MaxExternalBytes()) {
    ReturnBlock(env, data, block);
    return napi_generic_failure;
  }
  return napi_create_external_arraybuffer(env, data, bytes, ReturnBlock, block, out);
}

// One async call (docs/contract.md §7). Run touches nothing but the parsed request, whose pointers lead to
// the call's own copies or to SharedArrayBuffers this call holds by reference, and the pool,
// which it co-owns (so the pool outlives the call even if the addon instance goes first).
// Settle, on the JS thread, copies results into the caller's arrays that were copied, if every
// one of them is still there, and settles the promise.
template <class J>
class JobCall final : public AsyncCall {
 public:
  JobCall(Napi::Env env, std::shared_ptr<ThreadPool> pool, std::unique_ptr<typename J::Parsed> parsed,
          napi_value factory, napi_deferred deferred)
      : pool_(std::move(pool)), parsed_(std::move(parsed)), deferred_(deferred) {
    if (factory != nullptr) factory_ = Napi::Persistent(Napi::Function(env, factory));
    const CallArrays& arrays = parsed_->arrays;
    for (std::size_t i = 0; i < arrays.count; ++i) {
      const CallArrays::Array& a = arrays.items[i];
      if (a.shared || (a.output && a.copy != nullptr && !a.handOver)) {
        refs_[i] = Napi::Persistent(Napi::Object(env, arrays.items[i].value));
      }
    }
    if (parsed_->signal.word != nullptr) {
      signalRef_ = Napi::Persistent(Napi::Object(env, parsed_->signal.value));
      Control().Watch(parsed_->signal.word, parsed_->signal.length);
    }
    J::SetControl(parsed_.get(), &Control());
  }

  void Run() override {
    try {
      result_ = J::Run(*parsed_, *pool_);
      ok_ = true;
    } catch (const std::exception&) {
      ok_ = false;
    }
    ran_ = true;
  }

  // Settles the promise if the environment still allows it (not at teardown, when no JS may
  // run: plain C calls whose failures are returned, since node-addon-api would abort), and
  // releases the arrays either way.
  void Settle(napi_env env) override {
    SettlePromise(env);
    for (Napi::ObjectReference& ref : refs_) ref.Reset();
    signalRef_.Reset();
    factory_.Reset();
  }

 private:
  void SettlePromise(napi_env env) {
    // snprintf, not std::string: nothing here may throw through the C completion callback.
    char message[256];
    const char* code = kInternal;
    if (!ran_ || (ok_ && J::Cancelled(result_))) {
      code = kCancelledCode;
      std::snprintf(message, sizeof message, "%s: cancelled (by its caller, or the environment is shutting down)",
                    J::kAsync);
    } else if (!ok_) {
      std::snprintf(message, sizeof message, "%s: the native call failed (out of memory?)", J::kAsync);
    } else {
      const bool complete = J::Complete(result_);
      const std::size_t gone = complete ? CopyBack(env) : kNone;
      napi_value value = nullptr, factory = nullptr, handed[J::kOutputs];
      if (!factory_.IsEmpty() && napi_get_reference_value(env, factory_, &factory) != napi_ok) factory = nullptr;
      if (gone == kNone && HandOver(env, complete, handed) == napi_ok &&
          J::Make(env, result_, handed, factory, &value) == napi_ok) {
        napi_resolve_deferred(env, deferred_, value);
        return;
      }
      if (gone != kNone) {
        code = kDetached;
        std::snprintf(message, sizeof message,
                      "%s: output %s was detached, transferred or shrunk while the call ran; nothing was written "
                      "to the outputs",
                      J::kAsync, parsed_->arrays.items[gone].name);
      } else {
        std::snprintf(message, sizeof message, "%s: cannot build the result (out of memory?)", J::kAsync);
      }
    }
    napi_value error = CodedError(env, code, message);
    if (error != nullptr) napi_reject_deferred(env, deferred_, error);
  }

  static constexpr std::size_t kNone = kMaxArrayArgs;

  // Copies the results of every copied output into the caller's array, if each is still
  // attached and long enough (its length asked of the engine now); else writes nothing and
  // returns the index of the first that is not.
  std::size_t CopyBack(napi_env env) const {
    const CallArrays& arrays = parsed_->arrays;
    void* targets[kMaxArrayArgs] = {};
    for (std::size_t i = 0; i < arrays.count; ++i) {
      const CallArrays::Array& a = arrays.items[i];
      if (!a.output || a.copy == nullptr || a.handOver) continue;
      napi_value array;
      napi_typedarray_type type;
      std::size_t length = 0;
      if (napi_get_reference_value(env, refs_[i], &array) != napi_ok || array == nullptr ||
          napi_get_typedarray_info(env, array, &type, &length, &targets[i], nullptr, nullptr) != napi_ok ||
          targets[i] == nullptr || length * (type == napi_uint8_array ? 1 : sizeof(double)) < a.bytes) {
        return i;
      }
    }
    for (std::size_t i = 0; i < arrays.count; ++i) {
      if (targets[i] != nullptr) CopyOnThreads(targets[i], arrays.items[i].copy, arrays.items[i].bytes, arrays.copyThreads);
    }
    return kNone;
  }

  // `handed[k]` for the k-th output: null, or, for an output the caller left to the call (and
  // only when the call is complete), an ArrayBuffer over the call's own memory for it. The
  // buffer takes the memory with it and gives it back to the kept blocks when V8 collects it
  // (ReturnBlock), so the next call's outputs are memory already faulted in. Where an external
  // buffer is refused (past Node's size limit, or in Electron's sandbox), the results are copied
  // into an ordinary ArrayBuffer instead.
  napi_status HandOver(napi_env env, bool complete, napi_value* handed) {
    CallArrays& arrays = parsed_->arrays;
    std::size_t k = 0;
    for (std::size_t i = 0; i < arrays.count && k < J::kOutputs; ++i) {
      CallArrays::Array& a = arrays.items[i];
      if (!a.output) continue;
      napi_value& out = handed[k++];
      napi_status s = complete && a.handOver ? HandOverOne(env, a, &out) : napi_get_null(env, &out);
      if (s != napi_ok) return s;
    }
    return napi_ok;
  }

  napi_status HandOverOne(napi_env env, CallArrays::Array& a, napi_value* out) {
    CallArrays& arrays = parsed_->arrays;
    for (auto& memory : arrays.memory) {
      if (memory.get() != a.copy) continue;
      auto* block = new (std::nothrow) HandedBlock{memory.get_deleter().capacity};
      if (block == nullptr) break;
      const napi_status s = CreateExternal(env, a.copy, a.bytes, block, out);
      block->creating = false;
      if (s == napi_ok) {
        memory.release();  // the buffer's now: ReturnBlock gives it back
        return napi_ok;
      }
      delete block;  // refused, whether or not Node ran the finalizer: the block is still ours
      napi_value ignored;
      napi_get_and_clear_last_exception(env, &ignored);
      break;
    }
    void* data = nullptr;
    const napi_status s = napi_create_arraybuffer(env, a.bytes, &data, out);
    if (s == napi_ok && a.bytes != 0) CopyOnThreads(data, a.copy, a.bytes, arrays.copyThreads);
    return s;
  }

  std::shared_ptr<ThreadPool> pool_;
  std::unique_ptr<typename J::Parsed> parsed_;
  napi_deferred deferred_;
  Napi::ObjectReference refs_[kMaxArrayArgs];
  Napi::ObjectReference signalRef_;  // the caller's cancel word, kept alive while the call runs
  Napi::FunctionReference factory_;
  typename J::Result result_;
  bool ok_ = false;
  bool ran_ = false;  // false: cancelled at teardown before it started
};

// A compiled result factory, or an empty reference when code generation is disallowed (the
// slow path then defines properties one by one).
Napi::FunctionReference CompileFactory(napi_env env, const char* sourceText) {
  napi_value source, factory;
  if (napi_create_string_utf8(env, sourceText, NAPI_AUTO_LENGTH, &source) == napi_ok &&
      napi_run_script(env, source, &factory) == napi_ok) {
    return Napi::Persistent(Napi::Function(env, factory));
  }
  napi_value ignored;
  napi_get_and_clear_last_exception(env, &ignored);
  return Napi::FunctionReference();
}

}  // namespace

class FarfanAddon final : public Napi::Addon<FarfanAddon> {
 public:
  FarfanAddon(Napi::Env env, Napi::Object exports)
      : pool_(std::make_shared<ThreadPool>()),
        calls_(std::make_unique<AsyncCalls>(env)),
        aggregateFactory_(CompileFactory(env, AggregateJob::kFactorySource)),
        monteCarloFactory_(CompileFactory(env, MonteCarloJob::kFactorySource)) {
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
                         });
  }

 private:
  template <class J>
  Napi::Value Sync(const Napi::CallbackInfo& info) {
    napi_env env = info.Env();
    typename J::Parsed parsed;
    if (!J::Parse(env, static_cast<napi_callback_info>(info), false, &parsed)) return Napi::Value();
    napi_value out = nullptr;
    try {
      pool_->Reserve(parsed.request.threads);
      const typename J::Result result = J::Run(parsed, *pool_);
      if (J::Make(env, result, nullptr, Factory<J>(), &out) != napi_ok) return Napi::Value();
    } catch (const std::exception& e) {
      ThrowCoded(env, ErrorKind::kError, kInternal, e.what());
      return Napi::Value();
    }
    return Napi::Value(env, out);
  }

  // Argument errors reject the promise (they are not thrown), like every other failure.
  template <class J>
  Napi::Value Async(const Napi::CallbackInfo& info) {
    napi_env env = info.Env();
    napi_deferred deferred;
    napi_value promise;
    if (napi_create_promise(env, &deferred, &promise) != napi_ok) {
      ThrowCoded(env, ErrorKind::kError, kInternal, (std::string(J::kAsync) + ": cannot create a promise").c_str());
      return Napi::Value();
    }
    try {
      auto parsed = std::make_unique<typename J::Parsed>();
      if (!J::Parse(env, static_cast<napi_callback_info>(info), true, parsed.get())) {
        napi_value error = nullptr;
        napi_get_and_clear_last_exception(env, &error);
        napi_reject_deferred(env, deferred, error);
        return Napi::Value(env, promise);
      }
      pool_->Reserve(parsed->request.threads);
      auto call = std::make_unique<JobCall<J>>(info.Env(), pool_, std::move(parsed), Factory<J>(), deferred);
      if (!calls_->Submit(env, std::move(call))) {
        const std::string message = std::string(J::kAsync) + ": cannot start a thread to run the call";
        napi_reject_deferred(env, deferred, CodedError(env, kInternal, message.c_str()));
      }
    } catch (const std::exception& e) {
      napi_reject_deferred(env, deferred, CodedError(env, kInternal, e.what()));
    }
    return Napi::Value(env, promise);
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
    napi_env env = info.Env();
    const Napi::Value k = info[0];
    const double want = k.IsNumber() ? k.As<Napi::Number>().DoubleValue() : -1;
    if (!(want >= 1 && want <= ThreadPool::kMaxThreads && static_cast<double>(static_cast<unsigned>(want)) == want)) {
      ThrowCoded(env, ErrorKind::kRangeError, "E_NATIVE_ARGS",
                 "setPoolSize: argument 1 (threads) must be an integer in [1, 256]");
      return Napi::Value();
    }
    try {
      return Napi::Number::New(env, pool_->Resize(static_cast<unsigned>(want)));
    } catch (const std::exception& e) {
      ThrowCoded(env, ErrorKind::kError, kInternal, e.what());
      return Napi::Value();
    }
  }

  // adjustExternalMemory(bytes): tells V8 that JS objects keep `bytes` more (or, negative,
  // fewer) of memory outside its heap alive, so it collects them as their size deserves. V8
  // counts ordinary ArrayBuffers itself but not SharedArrayBuffers: without this, fresh
  // SharedArrayBuffer outputs of large calls pile up (330 MB a call at n = 10^6) until a
  // collection happens for some other reason. Returns V8's new total.
  Napi::Value AdjustExternalMemory(const Napi::CallbackInfo& info) {
    napi_env env = info.Env();
    const Napi::Value bytes = info[0];
    const double delta = bytes.IsNumber() ? bytes.As<Napi::Number>().DoubleValue() : 0;
    if (!bytes.IsNumber() || !(std::fabs(delta) <= kMaxSafeInteger && std::trunc(delta) == delta)) {
      ThrowCoded(env, ErrorKind::kRangeError, "E_NATIVE_ARGS", "adjustExternalMemory: argument 1 (bytes) must be a safe integer");
      return Napi::Value();
    }
    int64_t total = 0;
    if (napi_adjust_external_memory(env, static_cast<int64_t>(delta), &total) != napi_ok) {
      ThrowCoded(env, ErrorKind::kError, kInternal, "adjustExternalMemory: napi_adjust_external_memory failed");
      return Napi::Value();
    }
    return Napi::Number::New(env, static_cast<double>(total));
  }

  template <class J>
  napi_value Factory() const {
    const Napi::FunctionReference& f = std::is_same<J, AggregateJob>::value ? aggregateFactory_ : monteCarloFactory_;
    return f.IsEmpty() ? nullptr : napi_value(f.Value());
  }

  std::shared_ptr<ThreadPool> pool_;
  std::unique_ptr<AsyncCalls> calls_;
  Napi::FunctionReference aggregateFactory_;  // each Job's kFactorySource, empty if it could not be compiled
  Napi::FunctionReference monteCarloFactory_;
};

}  // namespace farfan

using farfan::FarfanAddon;
NODE_API_NAMED_ADDON(farfan_aggregator, FarfanAddon)
