/**
 * What `linklab sim run` runs without a file: the project's main job in miniature. Three hosts
 * (the kernel model) and a router advertising 2001:db8:1::/64 like radvd share one Ethernet
 * segment; the hosts come up, solicit, autoconfigure and ping the router.
 * It is the same as sim/topologies/ra-basic.yaml (a test keeps them in step).
 */
export const DEFAULT_TOPOLOGY = `# built in: linklab sim run (no file)
name: ra-basic
description: Three hosts autoconfigure IPv6 addresses from a radvd-like router on one Ethernet segment.
duration: 30s
segments:
  lan: {}
nodes:
  r1:
    kind: router
    interfaces:
      eth0: {segment: lan, mac: "02:00:00:00:00:01"}
    config:
      maxInterval: 10
      prefixes: [{prefix: "2001:db8:1::/64"}]
  h{i}:
    count: 3
    kind: host
    startAt: 100ms
    interfaces:
      eth0: {segment: lan, mac: "02:00:00:00:01:01"}
expect:
  - address: {node: "h*", prefix: "2001:db8:1::/64", by: 5s}
  - rsPerCycle: {node: "h*", max: 3}
`;
