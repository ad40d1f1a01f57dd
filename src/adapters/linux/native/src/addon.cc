#include "common.h"

#include <cerrno>
#include <cstring>
#include <uv.h>

namespace linklab {

Napi::Error ErrnoError(Napi::Env env, int err, const std::string& syscall, const std::string& detail) {
  std::string msg = syscall;
  if (!detail.empty()) msg += " " + detail;
  msg += ": ";
  msg += strerror(err);
  const char* code = uv_err_name(-err);
  msg += " (";
  msg += code;
  msg += ")";
  Napi::Error e = Napi::Error::New(env, msg);
  e.Set("code", Napi::String::New(env, code));
  e.Set("errno", Napi::Number::New(env, -err));
  e.Set("syscall", Napi::String::New(env, syscall));
  return e;
}

int IntArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (info.Length() <= i || !info[i].IsNumber()) {
    throw Napi::TypeError::New(info.Env(), std::string("argument ") + name + " must be a number");
  }
  return info[i].As<Napi::Number>().Int32Value();
}

std::string StringArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (info.Length() <= i || !info[i].IsString()) {
    throw Napi::TypeError::New(info.Env(), std::string("argument ") + name + " must be a string");
  }
  return info[i].As<Napi::String>().Utf8Value();
}

Bytes BytesOf(Napi::Env env, const Napi::Value& v, const char* name) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw Napi::TypeError::New(env, std::string("argument ") + name + " must be a Uint8Array");
  }
  Napi::Uint8Array a = v.As<Napi::Uint8Array>();
  return Bytes{a.Data(), a.ByteLength()};
}

Bytes BytesArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (info.Length() <= i) throw Napi::TypeError::New(info.Env(), std::string("argument ") + name + " is missing");
  return BytesOf(info.Env(), info[i], name);
}

}  // namespace linklab

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  linklab::InitFds(env, exports);
  linklab::InitSockets(env, exports);
  linklab::InitTun(env, exports);
  linklab::InitPoller(env, exports);
  linklab::InitSystem(env, exports);
  linklab::InitBatch(env, exports);
  linklab::InitSit(env, exports);
  return exports;
}

NODE_API_MODULE(linklab_native, Init)
