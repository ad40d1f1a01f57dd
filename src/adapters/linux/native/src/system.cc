// Small system services the TypeScript side cannot reach: syslog(3), fcntl write locks (the
// originals' pidfile locking), and interface name <-> index.
#include "common.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sched.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

namespace linklab {

static std::string ident_;  // openlog keeps the pointer: it must outlive the call

static Napi::Value OpenLog(const Napi::CallbackInfo& info) {
  ident_ = StringArg(info, 0, "ident");
  int option = info.Length() > 1 && info[1].IsNumber() ? info[1].As<Napi::Number>().Int32Value() : LOG_PID;
  int facility = info.Length() > 2 && info[2].IsNumber() ? info[2].As<Napi::Number>().Int32Value() : LOG_DAEMON;
  openlog(ident_.c_str(), option, facility);
  return info.Env().Undefined();
}

static Napi::Value Syslog(const Napi::CallbackInfo& info) {
  int priority = IntArg(info, 0, "priority");
  std::string msg = StringArg(info, 1, "message");
  syslog(priority, "%s", msg.c_str());
  return info.Env().Undefined();
}

static Napi::Value CloseLog(const Napi::CallbackInfo& info) {
  closelog();
  return info.Env().Undefined();
}

// lockWrite(fd) -> true when this process now holds a write lock on the whole file, false when
// another process holds one (the lock is released when the process exits or closes the file).
static Napi::Value LockWrite(const Napi::CallbackInfo& info) {
  int fd = IntArg(info, 0, "fd");
  struct flock fl {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  if (fcntl(fd, F_SETLK, &fl) == 0) return Napi::Boolean::New(info.Env(), true);
  if (errno == EAGAIN || errno == EACCES) return Napi::Boolean::New(info.Env(), false);
  throw ErrnoError(info.Env(), errno, "fcntl", "F_SETLK");
}

// lockHolder(fd) -> pid of the process holding a conflicting lock, or 0.
static Napi::Value LockHolder(const Napi::CallbackInfo& info) {
  int fd = IntArg(info, 0, "fd");
  struct flock fl {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  if (fcntl(fd, F_GETLK, &fl) < 0) throw ErrnoError(info.Env(), errno, "fcntl", "F_GETLK");
  return Napi::Number::New(info.Env(), fl.l_type == F_UNLCK ? 0 : fl.l_pid);
}

static Napi::Value IfNameToIndex(const Napi::CallbackInfo& info) {
  std::string name = StringArg(info, 0, "name");
  unsigned idx = if_nametoindex(name.c_str());
  return Napi::Number::New(info.Env(), idx);
}

static Napi::Value IfIndexToName(const Napi::CallbackInfo& info) {
  int idx = IntArg(info, 0, "ifindex");
  char buf[IF_NAMESIZE];
  if (if_indextoname(static_cast<unsigned>(idx), buf) == nullptr) return info.Env().Null();
  return Napi::String::New(info.Env(), buf);
}

// ifHardwareAddress(name) -> the interface's hardware address bytes (SIOCGIFHWADDR), or null.
static Napi::Value IfHardwareAddress(const Napi::CallbackInfo& info) {
  std::string name = StringArg(info, 0, "name");
  if (name.size() >= IFNAMSIZ) return info.Env().Null();
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw ErrnoError(info.Env(), errno, "socket");
  ifreq ifr{};
  strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
  int r = ioctl(fd, SIOCGIFHWADDR, &ifr);
  int err = errno;
  close(fd);
  if (r < 0) {
    if (err == ENODEV) return info.Env().Null();
    throw ErrnoError(info.Env(), err, "ioctl", "SIOCGIFHWADDR " + name);
  }
  return Napi::Buffer<uint8_t>::Copy(info.Env(), reinterpret_cast<uint8_t*>(ifr.ifr_hwaddr.sa_data), 6);
}

// withNetns(path, fn): runs fn with the calling thread in the network namespace at `path`
// (/run/netns/NAME), then returns the thread to its own namespace, even when fn throws. Sockets,
// devices and netlink sockets created inside belong to that namespace for life. For tests and
// tools that build endpoints in several namespaces from one process.
static Napi::Value WithNetns(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = StringArg(info, 0, "path");
  if (info.Length() < 2 || !info[1].IsFunction()) throw Napi::TypeError::New(env, "argument fn must be a function");
  int target = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (target < 0) throw ErrnoError(env, errno, "open", path);
  int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (self < 0) {
    int err = errno;
    close(target);
    throw ErrnoError(env, err, "open", "/proc/thread-self/ns/net");
  }
  if (setns(target, CLONE_NEWNET) < 0) {
    int err = errno;
    close(target);
    close(self);
    throw ErrnoError(env, err, "setns", path);
  }
  close(target);
  Napi::Value result;
  try {
    result = info[1].As<Napi::Function>().Call({});
  } catch (...) {
    setns(self, CLONE_NEWNET);
    close(self);
    throw;
  }
  int r = setns(self, CLONE_NEWNET);
  int err = errno;
  close(self);
  if (r < 0) throw ErrnoError(env, err, "setns", "(back to the original namespace)");
  return result;
}

void InitSystem(Napi::Env env, Napi::Object exports) {
  exports.Set("withNetns", Napi::Function::New(env, WithNetns, "withNetns"));
  exports.Set("ifHardwareAddress", Napi::Function::New(env, IfHardwareAddress, "ifHardwareAddress"));
  exports.Set("openlog", Napi::Function::New(env, OpenLog, "openlog"));
  exports.Set("syslog", Napi::Function::New(env, Syslog, "syslog"));
  exports.Set("closelog", Napi::Function::New(env, CloseLog, "closelog"));
  exports.Set("lockWrite", Napi::Function::New(env, LockWrite, "lockWrite"));
  exports.Set("lockHolder", Napi::Function::New(env, LockHolder, "lockHolder"));
  exports.Set("ifNameToIndex", Napi::Function::New(env, IfNameToIndex, "ifNameToIndex"));
  exports.Set("ifIndexToName", Napi::Function::New(env, IfIndexToName, "ifIndexToName"));
  Napi::Object s = Napi::Object::New(env);
#define C(name) s.Set(#name, Napi::Number::New(env, name))
  C(LOG_DAEMON); C(LOG_USER); C(LOG_PID); C(LOG_NDELAY); C(LOG_CONS);
  C(LOG_EMERG); C(LOG_ALERT); C(LOG_CRIT); C(LOG_ERR); C(LOG_WARNING); C(LOG_NOTICE); C(LOG_INFO); C(LOG_DEBUG);
#undef C
  exports.Set("syslogConstants", s);
}

}  // namespace linklab
