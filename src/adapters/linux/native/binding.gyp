# linklab's native addon: file descriptors, sockets, TUN/TAP, fd readiness (uv_poll), syslog,
# fcntl locks, batched packet I/O for data planes, and the SIT driver's PRL ioctls. No protocol logic here: every byte is parsed in TypeScript.
{
  "targets": [
    {
      "target_name": "linklab_native",
      "sources": ["src/addon.cc", "src/fds.cc", "src/sockets.cc", "src/tun.cc", "src/poller.cc", "src/system.cc", "src/batch.cc", "src/sit.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-fexceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags!": ["-fno-exceptions"]
    }
  ]
}
