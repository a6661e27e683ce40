// The N-API surface: aggregate (sync), aggregateAsync (AsyncWorker + promise), info,
// setPoolSize. Per-environment state (the thread pool) lives in the addon instance, which
// Node destroys at environment cleanup, so the addon may be loaded by several worker_threads.
#include <napi.h>

#include <algorithm>
#include <exception>
#include <memory>
#include <thread>
#include <utility>

#include "aggregate.h"
#include "args.h"
#include "cpu.h"
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

constexpr const char* kResultKeys[] = {"isa",            "threads",    "busyMs",       "wallMs",
                                       "scoreNonFinite", "scoreRange", "stdNonFinite", "stdRange"};
constexpr std::size_t kResultFields = sizeof kResultKeys / sizeof kResultKeys[0];

// Builds the result object in JS: V8 creates an object literal with a cached shape far faster
// than eight property definitions through N-API (0.9 instead of 2.1 µs per call for n = 1).
constexpr const char* kResultFactorySource =
    "(function (isa, threads, busyMs, wallMs, scoreNonFinite, scoreRange, stdNonFinite, stdRange) {"
    " return { isa, threads, busyMs, wallMs, scoreNonFinite, scoreRange, stdNonFinite, stdRange }; })";

// { isa, threads, busyMs, wallMs, scoreNonFinite, scoreRange, stdNonFinite, stdRange } with
// plain C calls whose failures are returned, not thrown: the async completion may run while
// the environment is shutting down, when no JS may run and node-addon-api would abort.
// With `factory` (kResultFactorySource) the object is made by JS, else property by property.
napi_status MakeResult(napi_env env, const AggregateResult& r, napi_value factory, napi_value* out) {
  const double numbers[kResultFields] = {
      0,
      static_cast<double>(r.threads),
      r.busyMs,
      r.wallMs,
      static_cast<double>(r.check.scoreNonFinite),
      static_cast<double>(r.check.scoreRange),
      static_cast<double>(r.check.stdNonFinite),
      static_cast<double>(r.check.stdRange),
  };
  napi_value values[kResultFields];
  napi_status s = napi_create_string_utf8(env, IsaName(r.isa), NAPI_AUTO_LENGTH, &values[0]);
  for (std::size_t i = 1; i < kResultFields && s == napi_ok; ++i) s = napi_create_double(env, numbers[i], &values[i]);
  if (s != napi_ok) return s;
  if (factory != nullptr) {
    napi_value undefined;
    s = napi_get_undefined(env, &undefined);
    return s == napi_ok ? napi_call_function(env, undefined, factory, kResultFields, values, out) : s;
  }
  napi_property_descriptor props[kResultFields] = {};
  for (std::size_t i = 0; i < kResultFields; ++i) {
    props[i].utf8name = kResultKeys[i];
    props[i].value = values[i];
    props[i].attributes = napi_default_jsproperty;
  }
  s = napi_create_object(env, out);
  return s == napi_ok ? napi_define_properties(env, *out, kResultFields, props) : s;
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

// Runs one aggregate call off the JS thread. The typed arrays stay referenced until the
// completion; Execute touches nothing but the request (raw pointers) and the pool, which it
// co-owns, so the pool outlives the call even if the addon instance goes first.
class AggregateWorker final : public Napi::AsyncWorker {
 public:
  AggregateWorker(Napi::Env env, std::shared_ptr<ThreadPool> pool, const ParsedArgs& args, napi_value factory,
                  napi_deferred deferred)
      : Napi::AsyncWorker(env, "farfan_aggregator.aggregateAsync"),
        pool_(std::move(pool)),
        request_(args.request),
        deferred_(deferred) {
    if (factory != nullptr) factory_ = Napi::Persistent(Napi::Function(env, factory));
    for (std::size_t i = 0; i < kArrayArgs; ++i) {
      refs_[i] = Napi::Persistent(Napi::Object(env, args.arrays[i]));
    }
  }

  void Execute() override {
    try {
      result_ = Aggregate(request_, *pool_);
      ok_ = true;
    } catch (const std::exception&) {
      ok_ = false;
    }
  }

  // Replaces node-addon-api's completion (which throws, hence may abort, when JS cannot run):
  // settle the promise if the environment still allows it, release the arrays either way.
  void OnWorkComplete(Napi::Env env, napi_status status) override {
    napi_handle_scope scope;
    if (napi_open_handle_scope(env, &scope) == napi_ok) {
      napi_value value = nullptr;
      napi_value factory = nullptr;
      if (!factory_.IsEmpty() && napi_get_reference_value(env, factory_, &factory) != napi_ok) factory = nullptr;
      if (status == napi_ok && ok_ && MakeResult(env, result_, factory, &value) == napi_ok) {
        napi_resolve_deferred(env, deferred_, value);
      } else {
        value = CodedError(env, kInternal,
                           status == napi_cancelled ? "aggregateAsync: cancelled"
                                                    : "aggregateAsync: the native call failed (out of memory?)");
        if (value != nullptr) napi_reject_deferred(env, deferred_, value);
      }
      napi_close_handle_scope(env, scope);
    }
    for (Napi::ObjectReference& ref : refs_) ref.Reset();
    factory_.Reset();
    Destroy();
  }

 private:
  std::shared_ptr<ThreadPool> pool_;
  AggregateRequest request_;
  napi_deferred deferred_;
  Napi::ObjectReference refs_[kArrayArgs];
  Napi::FunctionReference factory_;
  AggregateResult result_;
  bool ok_ = false;
};

}  // namespace

class FarfanAddon final : public Napi::Addon<FarfanAddon> {
 public:
  FarfanAddon(Napi::Env env, Napi::Object exports) : pool_(std::make_shared<ThreadPool>()) {
    napi_value source, factory;
    if (napi_create_string_utf8(env, kResultFactorySource, NAPI_AUTO_LENGTH, &source) == napi_ok &&
        napi_run_script(env, source, &factory) == napi_ok) {
      factory_ = Napi::Persistent(Napi::Function(env, factory));
    } else {
      napi_value ignored;
      napi_get_and_clear_last_exception(env, &ignored);  // e.g. code generation disallowed: slow path
    }
    // Enumerable, like the properties of an ordinary CommonJS exports object.
    constexpr auto kExport = napi_default_jsproperty;
    DefineAddon(exports, {
                             InstanceMethod("aggregate", &FarfanAddon::AggregateSync, kExport),
                             InstanceMethod("aggregateAsync", &FarfanAddon::AggregateAsync, kExport),
                             InstanceMethod("info", &FarfanAddon::Info, kExport),
                             InstanceMethod("setPoolSize", &FarfanAddon::SetPoolSize, kExport),
                         });
  }

 private:
  Napi::Value AggregateSync(const Napi::CallbackInfo& info) {
    napi_env env = info.Env();
    ParsedArgs args;
    if (!ParseAggregateArgs(env, static_cast<napi_callback_info>(info), "aggregate", &args)) return Napi::Value();
    napi_value out = nullptr;
    try {
      pool_->Reserve(args.request.threads);
      const AggregateResult result = Aggregate(args.request, *pool_);
      if (MakeResult(env, result, Factory(), &out) != napi_ok) return Napi::Value();
    } catch (const std::exception& e) {
      ThrowCoded(env, 'E', kInternal, e.what());
      return Napi::Value();
    }
    return Napi::Value(env, out);
  }

  // Argument errors reject the promise (they are not thrown), like every other failure.
  Napi::Value AggregateAsync(const Napi::CallbackInfo& info) {
    napi_env env = info.Env();
    napi_deferred deferred;
    napi_value promise;
    if (napi_create_promise(env, &deferred, &promise) != napi_ok) {
      ThrowCoded(env, 'E', kInternal, "aggregateAsync: cannot create a promise");
      return Napi::Value();
    }
    ParsedArgs args;
    if (!ParseAggregateArgs(env, static_cast<napi_callback_info>(info), "aggregateAsync", &args)) {
      napi_value error = nullptr;
      napi_get_and_clear_last_exception(env, &error);
      napi_reject_deferred(env, deferred, error);
      return Napi::Value(env, promise);
    }
    try {
      pool_->Reserve(args.request.threads);
      auto* worker = new AggregateWorker(info.Env(), pool_, args, Factory(), deferred);
      worker->Queue();
      bool pending = false;
      if (napi_is_exception_pending(env, &pending) == napi_ok && pending) {  // not queued
        napi_value error = nullptr;
        napi_get_and_clear_last_exception(env, &error);
        delete worker;
        napi_reject_deferred(env, deferred, error);
      }
    } catch (const std::exception& e) {
      napi_reject_deferred(env, deferred, CodedError(env, kInternal, e.what()));
    }
    return Napi::Value(env, promise);
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
    return out;
  }

  // setPoolSize(k): the pool runs a call on up to k threads (the caller plus k - 1 workers);
  // grows or shrinks, returns the size obtained.
  Napi::Value SetPoolSize(const Napi::CallbackInfo& info) {
    napi_env env = info.Env();
    const Napi::Value k = info[0];
    const double want = k.IsNumber() ? k.As<Napi::Number>().DoubleValue() : -1;
    if (!(want >= 1 && want <= ThreadPool::kMaxThreads && static_cast<double>(static_cast<unsigned>(want)) == want)) {
      ThrowCoded(env, 'R', "E_NATIVE_ARGS", "setPoolSize: argument 1 (threads) must be an integer in [1, 256]");
      return Napi::Value();
    }
    try {
      return Napi::Number::New(env, pool_->Resize(static_cast<unsigned>(want)));
    } catch (const std::exception& e) {
      ThrowCoded(env, 'E', kInternal, e.what());
      return Napi::Value();
    }
  }

  napi_value Factory() const { return factory_.IsEmpty() ? nullptr : napi_value(factory_.Value()); }

  std::shared_ptr<ThreadPool> pool_;
  Napi::FunctionReference factory_;  // kResultFactorySource, empty if it could not be compiled
};

}  // namespace farfan

using farfan::FarfanAddon;
NODE_API_NAMED_ADDON(farfan_aggregator, FarfanAddon)
