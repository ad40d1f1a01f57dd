// Batched packet I/O for data planes that move many packets (the userspace ISATAP tunnel): one
// call reads or writes up to N packets in slots of one shared buffer, so JavaScript crosses into
// the addon once per batch and allocates nothing per packet. No parsing here: lengths and offsets
// come in and go out as Int32Arrays; the caller checks and rewrites the bytes in place.
#include "common.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace linklab {

namespace {

constexpr int kMaxBatch = 256;

struct Ints {
  int32_t* data;
  size_t length;
};

Ints IntsArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (info.Length() <= i || !info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
    throw Napi::TypeError::New(info.Env(), std::string("argument ") + name + " must be an Int32Array");
  }
  Napi::Int32Array a = info[i].As<Napi::Int32Array>();
  return Ints{a.Data(), a.ElementLength()};
}

int CountArg(const Napi::CallbackInfo& info, size_t i, const char* name, size_t limit) {
  int n = IntArg(info, i, name);
  if (n < 0 || n > kMaxBatch || static_cast<size_t>(n) > limit) {
    throw Napi::RangeError::New(info.Env(), std::string("argument ") + name + " is out of range");
  }
  return n;
}

// Checks that every [offset, offset+length) lies inside the buffer.
void CheckSpans(Napi::Env env, const Bytes& buf, const Ints& offsets, const Ints& lengths, int count) {
  for (int i = 0; i < count; i++) {
    int64_t o = offsets.data[i];
    int64_t l = lengths.data[i];
    if (o < 0 || l < 0 || o + l > static_cast<int64_t>(buf.length)) throw Napi::RangeError::New(env, "packet span outside the buffer");
  }
}

}  // namespace

// readPackets(fd, buf, slotSize, headroom, max, lengths) -> count. Reads whole packets (a TUN
// device) into slot i at i*slotSize + headroom until the descriptor would block or `max` were
// read. lengths[i] gets each packet's size. A read error after some packets ends the batch; on
// the first packet it throws (EIO while the interface is down is reported as 0 packets).
static Napi::Value ReadPackets(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = IntArg(info, 0, "fd");
  Bytes buf = BytesArg(info, 1, "buf");
  int slot = IntArg(info, 2, "slotSize");
  int headroom = IntArg(info, 3, "headroom");
  Ints lengths = IntsArg(info, 5, "lengths");
  int max = CountArg(info, 4, "max", lengths.length);
  if (slot <= 0 || headroom < 0 || headroom >= slot || static_cast<size_t>(slot) * max > buf.length) throw Napi::RangeError::New(env, "slots do not fit the buffer");
  int n = 0;
  while (n < max) {
    uint8_t* p = buf.data + static_cast<size_t>(n) * slot + headroom;
    ssize_t r;
    do r = read(fd, p, slot - headroom); while (r < 0 && errno == EINTR);
    if (r < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EIO || errno == EHOSTDOWN) break;
      if (n > 0) break;
      throw ErrnoError(env, errno, "read");
    }
    if (r == 0) break;
    lengths.data[n++] = static_cast<int32_t>(r);
  }
  return Napi::Number::New(env, n);
}

// recvPackets(fd, buf, slotSize, max, lengths) -> count. recvmmsg into slot i at i*slotSize;
// lengths[i] is the datagram's size, or -1 when it did not fit its slot (MSG_TRUNC).
static Napi::Value RecvPackets(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = IntArg(info, 0, "fd");
  Bytes buf = BytesArg(info, 1, "buf");
  int slot = IntArg(info, 2, "slotSize");
  Ints lengths = IntsArg(info, 4, "lengths");
  int max = CountArg(info, 3, "max", lengths.length);
  if (slot <= 0 || static_cast<size_t>(slot) * max > buf.length) throw Napi::RangeError::New(env, "slots do not fit the buffer");
  mmsghdr msgs[kMaxBatch];
  iovec iovs[kMaxBatch];
  std::memset(msgs, 0, sizeof(mmsghdr) * max);
  for (int i = 0; i < max; i++) {
    iovs[i].iov_base = buf.data + static_cast<size_t>(i) * slot;
    iovs[i].iov_len = slot;
    msgs[i].msg_hdr.msg_iov = &iovs[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  int r;
  do r = recvmmsg(fd, msgs, max, MSG_DONTWAIT, nullptr); while (r < 0 && errno == EINTR);
  if (r < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Napi::Number::New(env, 0);
    throw ErrnoError(env, errno, "recvmmsg");
  }
  for (int i = 0; i < r; i++) lengths.data[i] = (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) ? -1 : static_cast<int32_t>(msgs[i].msg_len);
  return Napi::Number::New(env, r);
}

// sendIpv4Packets(fd, buf, offsets, lengths, count) -> sent. sendmmsg of whole IPv4 datagrams
// (a raw socket with IP_HDRINCL), each addressed to the destination in its own header. A
// datagram the kernel refuses (EMSGSIZE, ENETUNREACH...) or has no room for is skipped: the
// return value counts those sent, so the caller counts the rest as dropped.
static Napi::Value SendIpv4Packets(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = IntArg(info, 0, "fd");
  Bytes buf = BytesArg(info, 1, "buf");
  Ints offsets = IntsArg(info, 2, "offsets");
  Ints lengths = IntsArg(info, 3, "lengths");
  int count = CountArg(info, 4, "count", std::min(offsets.length, lengths.length));
  CheckSpans(env, buf, offsets, lengths, count);
  mmsghdr msgs[kMaxBatch];
  iovec iovs[kMaxBatch];
  sockaddr_in dsts[kMaxBatch];
  std::memset(msgs, 0, sizeof(mmsghdr) * count);
  std::memset(dsts, 0, sizeof(sockaddr_in) * count);
  for (int i = 0; i < count; i++) {
    uint8_t* p = buf.data + offsets.data[i];
    if (lengths.data[i] < 20) throw Napi::RangeError::New(env, "an IPv4 datagram is at least 20 bytes");
    dsts[i].sin_family = AF_INET;
    std::memcpy(&dsts[i].sin_addr, p + 16, 4);
    iovs[i].iov_base = p;
    iovs[i].iov_len = lengths.data[i];
    msgs[i].msg_hdr.msg_name = &dsts[i];
    msgs[i].msg_hdr.msg_namelen = sizeof(sockaddr_in);
    msgs[i].msg_hdr.msg_iov = &iovs[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  int sent = 0;
  int at = 0;
  while (at < count) {
    int r;
    do r = sendmmsg(fd, msgs + at, count - at, MSG_DONTWAIT); while (r < 0 && errno == EINTR);
    if (r < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) break;  // full: drop the rest
      at++;  // this one was refused: skip it
      continue;
    }
    sent += r;
    at += r;
  }
  return Napi::Number::New(env, sent);
}

// writePackets(fd, buf, offsets, lengths, count) -> written. One write per packet (a TUN device
// takes one packet per write); a packet the device refuses or has no room for is dropped.
static Napi::Value WritePackets(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = IntArg(info, 0, "fd");
  Bytes buf = BytesArg(info, 1, "buf");
  Ints offsets = IntsArg(info, 2, "offsets");
  Ints lengths = IntsArg(info, 3, "lengths");
  int count = CountArg(info, 4, "count", std::min(offsets.length, lengths.length));
  CheckSpans(env, buf, offsets, lengths, count);
  int written = 0;
  for (int i = 0; i < count; i++) {
    ssize_t r;
    do r = write(fd, buf.data + offsets.data[i], lengths.data[i]); while (r < 0 && errno == EINTR);
    if (r >= 0) written++;
  }
  return Napi::Number::New(env, written);
}

void InitBatch(Napi::Env env, Napi::Object exports) {
  exports.Set("readPackets", Napi::Function::New(env, ReadPackets, "readPackets"));
  exports.Set("recvPackets", Napi::Function::New(env, RecvPackets, "recvPackets"));
  exports.Set("sendIpv4Packets", Napi::Function::New(env, SendIpv4Packets, "sendIpv4Packets"));
  exports.Set("writePackets", Napi::Function::New(env, WritePackets, "writePackets"));
  exports.Set("maxBatch", Napi::Number::New(env, kMaxBatch));
}

}  // namespace linklab
