/**
 * What `linklab sim run` runs without a file: the project's main job in miniature. Three hosts
 * (the kernel model) and a router advertising 2001:db8:1::/64 like radvd share one Ethernet
 * segment; the hosts come up, solicit, autoconfigure and ping the router.
 * It is the same as sim/topologies/ra-basic.yaml (a test keeps them in step).
 */
export const DEFAULT_TOPOLOGY = `# Hosts autoconfigure IPv6 addresses from a radvd-like router (SLAAC, RFC 4862).
# The hosts boot first: each checks its link-local address (DAD), solicits a router (RS) and,
# once the router is up and answers (RA), forms an address in 2001:db8:1::/64 and checks it too.
name: ra-basic
description: Three hosts autoconfigure IPv6 addresses from a radvd-like router on one Ethernet segment.
duration: 30s
segments:
  lan: {}
nodes:
  r1:
    kind: router
    startAt: 2s
    interfaces:
      eth0: {segment: lan, mac: "02:00:00:00:00:01", ipv6: ["2001:db8:1::1/64"]}
    config:
      maxInterval: 10
      prefixes: [{prefix: "2001:db8:1::/64"}]
  h{i}:
    count: 3
    kind: host
    interfaces:
      eth0: {segment: lan, mac: "02:00:00:00:01:01"}
    config:
      ping: [{to: "2001:db8:1::1", start: 10, count: 5}]
expect:
  - address: {node: "h*", prefix: "2001:db8:1::/64", by: 10s}
  - rsPerCycle: {node: "h*", max: 3}
  - event: {event: rs.sent, node: "h*", perNode: true, min: 1}
  - ping: {node: "h*", to: "2001:db8:1::1", min: 4}
  - query: {node: "h*", what: routes, where: {prefix: "::/0"}, min: 1, max: 1}
`;
