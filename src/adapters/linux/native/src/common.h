// Shared helpers for the addon: argument checks and errno errors shaped like Node's own
// (message "syscall: strerror", .code "ENOENT", .errno -2, .syscall).
#pragma once
#define NAPI_CPP_EXCEPTIONS 1
#include <napi.h>
#include <string>

namespace linklab {

Napi::Error ErrnoError(Napi::Env env, int err, const std::string& syscall, const std::string& detail = "");
int IntArg(const Napi::CallbackInfo& info, size_t i, const char* name);
std::string StringArg(const Napi::CallbackInfo& info, size_t i, const char* name);
// A view of a Uint8Array or Buffer argument.
struct Bytes {
  uint8_t* data;
  size_t length;
};
Bytes BytesArg(const Napi::CallbackInfo& info, size_t i, const char* name);
Bytes BytesOf(Napi::Env env, const Napi::Value& v, const char* name);

void InitFds(Napi::Env env, Napi::Object exports);
void InitSockets(Napi::Env env, Napi::Object exports);
void InitTun(Napi::Env env, Napi::Object exports);
void InitPoller(Napi::Env env, Napi::Object exports);
void InitSystem(Napi::Env env, Napi::Object exports);
void InitBatch(Napi::Env env, Napi::Object exports);
void InitSit(Napi::Env env, Napi::Object exports);

}  // namespace linklab
