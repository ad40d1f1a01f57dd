// The SIT driver's Potential Router List (linux/if_tunnel.h): SIOCADDPRL / SIOCDELPRL on an
// ISATAP tunnel. There is no rtnetlink message for it; isatapd 0.9.7 uses these ioctls too.
#include "common.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace linklab {

namespace {
// From linux/if_tunnel.h, which cannot be included beside net/if.h (linux/if.h clashes with it).
constexpr unsigned long kSiocAddPrl = SIOCDEVPRIVATE + 5;
constexpr unsigned long kSiocDelPrl = SIOCDEVPRIVATE + 6;
constexpr uint16_t kPrlDefault = 0x0001;
struct IpTunnelPrl {
  uint32_t addr;  // network order
  uint16_t flags;
  uint16_t reserved;
  uint32_t datalen;
  uint32_t reserved2;
};
}  // namespace

// sitPrl(ifname, add, address(4 bytes, network order), defaultRouter) -> undefined; throws the errno.
static Napi::Value SitPrl(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = StringArg(info, 0, "ifname");
  bool add = info.Length() > 1 && info[1].ToBoolean();
  Bytes addr = BytesArg(info, 2, "address");
  bool def = info.Length() > 3 && info[3].ToBoolean();
  if (name.empty() || name.size() >= IFNAMSIZ) throw Napi::RangeError::New(env, "interface name \"" + name + "\" is not 1 to 15 bytes");
  if (addr.length != 4) throw Napi::RangeError::New(env, "address must be 4 bytes");
  IpTunnelPrl prl{};
  std::memcpy(&prl.addr, addr.data, 4);
  if (add && def) prl.flags = kPrlDefault;
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
  ifr.ifr_ifru.ifru_data = reinterpret_cast<char*>(&prl);
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw ErrnoError(env, errno, "socket");
  int r = ioctl(fd, add ? kSiocAddPrl : kSiocDelPrl, &ifr);
  int err = errno;
  close(fd);
  if (r < 0) throw ErrnoError(env, err, "ioctl", std::string(add ? "SIOCADDPRL " : "SIOCDELPRL ") + name);
  return env.Undefined();
}

void InitSit(Napi::Env env, Napi::Object exports) {
  exports.Set("sitPrl", Napi::Function::New(env, SitPrl, "sitPrl"));
}

}  // namespace linklab
