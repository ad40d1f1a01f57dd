// Sockets: create, bind, set options, and sendmsg/recvmsg with ancillary data. Socket addresses
// travel as raw sockaddr bytes (built and parsed in TypeScript); control messages as
// {level, type, data} objects so the cmsghdr layout and alignment stay in C.
#include "common.h"

#include <cerrno>
#include <cstring>
#include <vector>

#include <arpa/inet.h>
#include <linux/errqueue.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace linklab {

// socket(domain, type, protocol) -> fd; always non-blocking and close-on-exec.
static Napi::Value Socket(const Napi::CallbackInfo& info) {
  int domain = IntArg(info, 0, "domain");
  int type = IntArg(info, 1, "type");
  int protocol = IntArg(info, 2, "protocol");
  int fd = socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
  if (fd < 0) throw ErrnoError(info.Env(), errno, "socket");
  return Napi::Number::New(info.Env(), fd);
}

// socketpair(domain, type) -> [fd, fd]; close-on-exec, non-blocking.
static Napi::Value SocketPair(const Napi::CallbackInfo& info) {
  int domain = IntArg(info, 0, "domain");
  int type = IntArg(info, 1, "type");
  int sv[2];
  if (socketpair(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) < 0) throw ErrnoError(info.Env(), errno, "socketpair");
  Napi::Array out = Napi::Array::New(info.Env(), 2);
  out.Set(0u, Napi::Number::New(info.Env(), sv[0]));
  out.Set(1u, Napi::Number::New(info.Env(), sv[1]));
  return out;
}

static Napi::Value Bind(const Napi::CallbackInfo& info) {
  int fd = IntArg(info, 0, "fd");
  Bytes addr = BytesArg(info, 1, "address");
  if (bind(fd, reinterpret_cast<sockaddr*>(addr.data), static_cast<socklen_t>(addr.length)) < 0) {
    throw ErrnoError(info.Env(), errno, "bind");
  }
  return info.Env().Undefined();
}

// setsockopt(fd, level, name, value): value is an int or the option's bytes.
static Napi::Value SetSockOpt(const Napi::CallbackInfo& info) {
  int fd = IntArg(info, 0, "fd");
  int level = IntArg(info, 1, "level");
  int name = IntArg(info, 2, "name");
  int r;
  if (info.Length() > 3 && info[3].IsNumber()) {
    int v = info[3].As<Napi::Number>().Int32Value();
    r = setsockopt(fd, level, name, &v, sizeof v);
  } else {
    Bytes b = BytesArg(info, 3, "value");
    r = setsockopt(fd, level, name, b.data, static_cast<socklen_t>(b.length));
  }
  if (r < 0) throw ErrnoError(info.Env(), errno, "setsockopt", "(level " + std::to_string(level) + ", option " + std::to_string(name) + ")");
  return info.Env().Undefined();
}

// getsockoptInt(fd, level, name) -> int.
static Napi::Value GetSockOptInt(const Napi::CallbackInfo& info) {
  int fd = IntArg(info, 0, "fd");
  int level = IntArg(info, 1, "level");
  int name = IntArg(info, 2, "name");
  int v = 0;
  socklen_t len = sizeof v;
  if (getsockopt(fd, level, name, &v, &len) < 0) throw ErrnoError(info.Env(), errno, "getsockopt");
  return Napi::Number::New(info.Env(), v);
}

static Napi::Value GetSockName(const Napi::CallbackInfo& info) {
  int fd = IntArg(info, 0, "fd");
  sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) < 0) throw ErrnoError(info.Env(), errno, "getsockname");
  return Napi::Buffer<uint8_t>::Copy(info.Env(), reinterpret_cast<uint8_t*>(&ss), len);
}

// sendmsg(fd, data, address|null, cmsgs|null, flags) -> bytes sent, or null on EAGAIN/ENOBUFS
// (transient: the caller drops the message, as a busy device would).
static Napi::Value SendMsg(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = IntArg(info, 0, "fd");
  Bytes data = BytesArg(info, 1, "data");
  msghdr msg{};
  iovec iov{data.data, data.length};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  if (info.Length() > 2 && !info[2].IsNull() && !info[2].IsUndefined()) {
    Bytes name = BytesOf(env, info[2], "address");
    msg.msg_name = name.data;
    msg.msg_namelen = static_cast<socklen_t>(name.length);
  }
  std::vector<uint8_t> control;
  if (info.Length() > 3 && info[3].IsArray()) {
    Napi::Array list = info[3].As<Napi::Array>();
    size_t total = 0;
    for (uint32_t i = 0; i < list.Length(); i++) {
      Napi::Object c = list.Get(i).As<Napi::Object>();
      total += CMSG_SPACE(BytesOf(env, c.Get("data"), "cmsg.data").length);
    }
    control.assign(total, 0);
    msg.msg_control = control.data();
    msg.msg_controllen = total;
    cmsghdr* cm = total > 0 ? CMSG_FIRSTHDR(&msg) : nullptr;
    for (uint32_t i = 0; i < list.Length() && cm != nullptr; i++) {
      Napi::Object c = list.Get(i).As<Napi::Object>();
      Bytes d = BytesOf(env, c.Get("data"), "cmsg.data");
      cm->cmsg_level = c.Get("level").As<Napi::Number>().Int32Value();
      cm->cmsg_type = c.Get("type").As<Napi::Number>().Int32Value();
      cm->cmsg_len = CMSG_LEN(d.length);
      memcpy(CMSG_DATA(cm), d.data, d.length);
      cm = CMSG_NXTHDR(&msg, cm);
    }
  }
  int flags = info.Length() > 4 && info[4].IsNumber() ? info[4].As<Napi::Number>().Int32Value() : 0;
  ssize_t n;
  do n = sendmsg(fd, &msg, flags | MSG_DONTWAIT | MSG_NOSIGNAL); while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) return env.Null();
    throw ErrnoError(env, errno, "sendmsg");
  }
  return Napi::Number::New(env, static_cast<double>(n));
}

// recvmsg(fd, buf, flags) -> {length, flags, address, cmsgs} or null when nothing is waiting.
// `length` is the datagram's real size when MSG_TRUNC is passed in flags (packet sockets).
static Napi::Value RecvMsg(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = IntArg(info, 0, "fd");
  Bytes buf = BytesArg(info, 1, "buf");
  int flags = info.Length() > 2 && info[2].IsNumber() ? info[2].As<Napi::Number>().Int32Value() : 0;
  sockaddr_storage ss;
  alignas(cmsghdr) uint8_t control[512];
  msghdr msg{};
  iovec iov{buf.data, buf.length};
  msg.msg_name = &ss;
  msg.msg_namelen = sizeof ss;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  do n = recvmsg(fd, &msg, flags | MSG_DONTWAIT); while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return env.Null();
    throw ErrnoError(env, errno, "recvmsg");
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("length", Napi::Number::New(env, static_cast<double>(n)));
  out.Set("flags", Napi::Number::New(env, msg.msg_flags));
  out.Set("address", Napi::Buffer<uint8_t>::Copy(env, reinterpret_cast<uint8_t*>(&ss), msg.msg_namelen));
  Napi::Array cmsgs = Napi::Array::New(env);
  uint32_t k = 0;
  for (cmsghdr* cm = CMSG_FIRSTHDR(&msg); cm != nullptr; cm = CMSG_NXTHDR(&msg, cm)) {
    Napi::Object c = Napi::Object::New(env);
    c.Set("level", Napi::Number::New(env, cm->cmsg_level));
    c.Set("type", Napi::Number::New(env, cm->cmsg_type));
    size_t len = cm->cmsg_len - CMSG_LEN(0);
    c.Set("data", Napi::Buffer<uint8_t>::Copy(env, CMSG_DATA(cm), len));
    cmsgs.Set(k++, c);
  }
  out.Set("cmsgs", cmsgs);
  return out;
}

// The constants TypeScript needs, taken from the system headers rather than retyped.
static void Constants(Napi::Env env, Napi::Object exports) {
  Napi::Object c = Napi::Object::New(env);
#define C(name) c.Set(#name, Napi::Number::New(env, name))
  C(AF_UNIX); C(AF_INET); C(AF_INET6); C(AF_PACKET); C(AF_NETLINK);
  C(SOCK_RAW); C(SOCK_DGRAM); C(SOCK_SEQPACKET);
  C(SOL_SOCKET); C(SO_BINDTODEVICE); C(SO_RCVBUF); C(SO_SNDBUF); C(SO_RCVBUFFORCE); C(SCM_RIGHTS);
  C(SO_PASSCRED);
  C(IPPROTO_IP); C(IPPROTO_IPV6); C(IPPROTO_ICMPV6); C(IPPROTO_IPV6); C(IPPROTO_RAW);
  C(IP_HDRINCL); C(IP_TTL); C(IP_MTU_DISCOVER); C(IP_PMTUDISC_DO); C(IP_PMTUDISC_DONT); C(IP_PKTINFO);
  C(IP_RECVERR); C(SO_EE_ORIGIN_LOCAL); C(SO_EE_ORIGIN_ICMP);
  C(IPV6_UNICAST_HOPS); C(IPV6_MULTICAST_HOPS); C(IPV6_MULTICAST_LOOP); C(IPV6_MULTICAST_IF);
  C(IPV6_RECVHOPLIMIT); C(IPV6_HOPLIMIT); C(IPV6_RECVPKTINFO); C(IPV6_PKTINFO);
  C(IPV6_ADD_MEMBERSHIP); C(IPV6_DROP_MEMBERSHIP); C(IPV6_CHECKSUM);
  C(ICMP6_FILTER);
  C(SOL_PACKET); C(PACKET_ADD_MEMBERSHIP); C(PACKET_DROP_MEMBERSHIP); C(PACKET_MR_MULTICAST);
  C(PACKET_MR_PROMISC); C(PACKET_MR_ALLMULTI); C(PACKET_IGNORE_OUTGOING); C(PACKET_AUXDATA);
  C(PACKET_HOST); C(PACKET_BROADCAST); C(PACKET_MULTICAST); C(PACKET_OTHERHOST); C(PACKET_OUTGOING);
  C(SOL_NETLINK); C(NETLINK_ROUTE); C(NETLINK_ADD_MEMBERSHIP); C(NETLINK_DROP_MEMBERSHIP);
  C(NETLINK_EXT_ACK); C(NETLINK_CAP_ACK); C(NETLINK_NO_ENOBUFS);
  C(MSG_TRUNC); C(MSG_CTRUNC); C(MSG_PEEK); C(MSG_CMSG_CLOEXEC); C(MSG_ERRQUEUE);
#undef C
  exports.Set("constants", c);
}

void InitSockets(Napi::Env env, Napi::Object exports) {
  exports.Set("socket", Napi::Function::New(env, Socket, "socket"));
  exports.Set("socketpair", Napi::Function::New(env, SocketPair, "socketpair"));
  exports.Set("bind", Napi::Function::New(env, Bind, "bind"));
  exports.Set("setsockopt", Napi::Function::New(env, SetSockOpt, "setsockopt"));
  exports.Set("getsockoptInt", Napi::Function::New(env, GetSockOptInt, "getsockoptInt"));
  exports.Set("getsockname", Napi::Function::New(env, GetSockName, "getsockname"));
  exports.Set("sendmsg", Napi::Function::New(env, SendMsg, "sendmsg"));
  exports.Set("recvmsg", Napi::Function::New(env, RecvMsg, "recvmsg"));
  Constants(env, exports);
}

}  // namespace linklab
