// TUN and TAP devices (linux/if_tun.h): open /dev/net/tun and attach to (or create) a device.
#include "common.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace linklab {

// openTun(name, tap, options?) -> {fd, name}. IFF_NO_PI always: whole packets, no info header.
// An empty name lets the kernel pick one (tun%d / tap%d). options.multiQueue sets IFF_MULTI_QUEUE.
static Napi::Value OpenTun(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = StringArg(info, 0, "name");
  bool tap = info.Length() > 1 && info[1].ToBoolean();
  if (name.size() >= IFNAMSIZ) throw Napi::RangeError::New(env, "interface name \"" + name + "\" is longer than 15 bytes");
  int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw ErrnoError(env, errno, "open", "/dev/net/tun");
  ifreq ifr{};
  ifr.ifr_flags = (tap ? IFF_TAP : IFF_TUN) | IFF_NO_PI;
  strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
  if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
    int err = errno;
    close(fd);
    throw ErrnoError(env, err, "ioctl", std::string("TUNSETIFF ") + (name.empty() ? "(any)" : name));
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("fd", Napi::Number::New(env, fd));
  out.Set("name", Napi::String::New(env, ifr.ifr_name));
  return out;
}

static Napi::Value TunIoctl(const Napi::CallbackInfo& info, unsigned long request, const char* what) {
  int fd = IntArg(info, 0, "fd");
  unsigned long v = static_cast<unsigned long>(info[1].As<Napi::Number>().Int64Value());
  if (ioctl(fd, request, v) < 0) throw ErrnoError(info.Env(), errno, "ioctl", what);
  return info.Env().Undefined();
}

// tunSetPersist(fd, on): a persistent device outlives its file descriptor.
static Napi::Value TunSetPersist(const Napi::CallbackInfo& info) {
  return TunIoctl(info, TUNSETPERSIST, "TUNSETPERSIST");
}

// tunSetOwner(fd, uid) / tunSetGroup(fd, gid): who may attach to a persistent device unprivileged.
static Napi::Value TunSetOwner(const Napi::CallbackInfo& info) {
  return TunIoctl(info, TUNSETOWNER, "TUNSETOWNER");
}

static Napi::Value TunSetGroup(const Napi::CallbackInfo& info) {
  return TunIoctl(info, TUNSETGROUP, "TUNSETGROUP");
}

void InitTun(Napi::Env env, Napi::Object exports) {
  exports.Set("openTun", Napi::Function::New(env, OpenTun, "openTun"));
  exports.Set("tunSetPersist", Napi::Function::New(env, TunSetPersist, "tunSetPersist"));
  exports.Set("tunSetOwner", Napi::Function::New(env, TunSetOwner, "tunSetOwner"));
  exports.Set("tunSetGroup", Napi::Function::New(env, TunSetGroup, "tunSetGroup"));
}

}  // namespace linklab
