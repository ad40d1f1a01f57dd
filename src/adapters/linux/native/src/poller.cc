// Readiness of a file descriptor through libuv's uv_poll, on Node's own event loop.
// new Poller(fd, callback(status, events)); start(events); stop(); close(); ref(); unref().
// `status` is 0 or a negative libuv error. The JS object stays alive while its handle is open.
#include "common.h"

#include <uv.h>

namespace linklab {

class Poller : public Napi::ObjectWrap<Poller> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Poller",
                       {InstanceMethod("start", &Poller::Start), InstanceMethod("stop", &Poller::Stop),
                        InstanceMethod("close", &Poller::Close), InstanceMethod("ref", &Poller::Ref_),
                        InstanceMethod("unref", &Poller::Unref_),
                        StaticValue("READABLE", Napi::Number::New(env, UV_READABLE)),
                        StaticValue("WRITABLE", Napi::Number::New(env, UV_WRITABLE))});
  }

  explicit Poller(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Poller>(info) {
    Napi::Env env = info.Env();
    int fd = IntArg(info, 0, "fd");
    if (info.Length() < 2 || !info[1].IsFunction()) throw Napi::TypeError::New(env, "argument callback must be a function");
    callback_ = Napi::Persistent(info[1].As<Napi::Function>());
    context_ = std::make_unique<Napi::AsyncContext>(env, "linklab.Poller");
    uv_loop_t* loop = nullptr;
    napi_get_uv_event_loop(env, &loop);
    int r = uv_poll_init(loop, &handle_, fd);
    if (r < 0) throw ErrnoError(env, -r, "uv_poll_init");
    handle_.data = this;
    open_ = true;
    Ref();  // keep the wrapper alive while libuv holds the handle
  }

 private:
  static void OnEvent(uv_poll_t* h, int status, int events) {
    Poller* self = static_cast<Poller*>(h->data);
    Napi::Env env = self->Env();
    Napi::HandleScope scope(env);
    try {
      self->callback_.MakeCallback(self->Value(), {Napi::Number::New(env, status), Napi::Number::New(env, events)},
                                   *self->context_);
    } catch (const Napi::Error& e) {
      // A handler threw: report it as Node reports any uncaught exception.
      napi_fatal_exception(env, e.Value());
    }
  }

  static void OnClose(uv_handle_t* h) {
    Poller* self = static_cast<Poller*>(h->data);
    self->callback_.Reset();
    self->Unref();
  }

  Napi::Value Start(const Napi::CallbackInfo& info) {
    if (!open_) throw Napi::Error::New(info.Env(), "poller is closed");
    int events = IntArg(info, 0, "events");
    int r = uv_poll_start(&handle_, events, OnEvent);
    if (r < 0) throw ErrnoError(info.Env(), -r, "uv_poll_start");
    return info.Env().Undefined();
  }

  Napi::Value Stop(const Napi::CallbackInfo& info) {
    if (open_) uv_poll_stop(&handle_);
    return info.Env().Undefined();
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    if (open_) {
      open_ = false;
      uv_poll_stop(&handle_);
      uv_close(reinterpret_cast<uv_handle_t*>(&handle_), OnClose);
    }
    return info.Env().Undefined();
  }

  Napi::Value Ref_(const Napi::CallbackInfo& info) {
    if (open_) uv_ref(reinterpret_cast<uv_handle_t*>(&handle_));
    return info.Env().Undefined();
  }

  Napi::Value Unref_(const Napi::CallbackInfo& info) {
    if (open_) uv_unref(reinterpret_cast<uv_handle_t*>(&handle_));
    return info.Env().Undefined();
  }

  uv_poll_t handle_{};
  bool open_ = false;
  Napi::FunctionReference callback_;
  std::unique_ptr<Napi::AsyncContext> context_;
};

void InitPoller(Napi::Env env, Napi::Object exports) {
  exports.Set("Poller", Poller::Define(env));
}

}  // namespace linklab
