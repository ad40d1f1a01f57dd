// Plain file descriptor I/O: read, write, close. Would-block is reported as null, not thrown.
#include "common.h"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace linklab {

// read(fd, buf) -> bytes read, or null when nothing is waiting (EAGAIN).
static Napi::Value Read(const Napi::CallbackInfo& info) {
  int fd = IntArg(info, 0, "fd");
  Bytes buf = BytesArg(info, 1, "buf");
  ssize_t n;
  do n = read(fd, buf.data, buf.length); while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return info.Env().Null();
    throw ErrnoError(info.Env(), errno, "read");
  }
  return Napi::Number::New(info.Env(), static_cast<double>(n));
}

// write(fd, data) -> bytes written, or null when the device would block (EAGAIN).
static Napi::Value Write(const Napi::CallbackInfo& info) {
  int fd = IntArg(info, 0, "fd");
  Bytes data = BytesArg(info, 1, "data");
  ssize_t n;
  do n = write(fd, data.data, data.length); while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return info.Env().Null();
    throw ErrnoError(info.Env(), errno, "write");
  }
  return Napi::Number::New(info.Env(), static_cast<double>(n));
}

static Napi::Value Close(const Napi::CallbackInfo& info) {
  int fd = IntArg(info, 0, "fd");
  if (close(fd) < 0 && errno != EINTR) throw ErrnoError(info.Env(), errno, "close");
  return info.Env().Undefined();
}

// setBlocking(fd, blocking): inherited descriptors keep their flags, but a child may want them set.
static Napi::Value SetBlocking(const Napi::CallbackInfo& info) {
  int fd = IntArg(info, 0, "fd");
  bool blocking = info.Length() > 1 && info[1].ToBoolean();
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0) throw ErrnoError(info.Env(), errno, "fcntl", "F_GETFL");
  flags = blocking ? (flags & ~O_NONBLOCK) : (flags | O_NONBLOCK);
  if (fcntl(fd, F_SETFL, flags) < 0) throw ErrnoError(info.Env(), errno, "fcntl", "F_SETFL");
  return info.Env().Undefined();
}

void InitFds(Napi::Env env, Napi::Object exports) {
  exports.Set("read", Napi::Function::New(env, Read, "read"));
  exports.Set("write", Napi::Function::New(env, Write, "write"));
  exports.Set("close", Napi::Function::New(env, Close, "close"));
  exports.Set("setBlocking", Napi::Function::New(env, SetBlocking, "setBlocking"));
}

}  // namespace linklab
