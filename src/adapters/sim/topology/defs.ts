/**
 * Shared pieces of the topology schema ($defs). Each has a `description` saying what is expected
 * in words: validation errors quote it ("expected a duration such as "10s" or "250ms", got ...").
 */
import { DURATION_PATTERN } from './durations.js';

export function ref(name: string): Record<string, unknown> {
  return { $ref: `#/$defs/${name}` };
}

const probability = { type: 'number', minimum: 0, maximum: 1, description: 'a probability from 0 to 1' };
const duration = { type: 'string', pattern: DURATION_PATTERN, description: 'a duration such as "10s", "250ms", "1.5s" or "20us"' };

export const SHARED_DEFS: Record<string, Record<string, unknown>> = {
  duration,
  probability,
  probabilityOrRange: {
    description: 'a probability from 0 to 1, or a range {min, max} picked per seed',
    anyOf: [
      ref('probability'),
      { type: 'object', additionalProperties: false, required: ['min', 'max'], properties: { min: ref('probability'), max: ref('probability') } },
    ],
  },
  durationOrRange: {
    description: 'a duration such as "5ms", or a range {min, max} picked per seed',
    anyOf: [ref('duration'), { type: 'object', additionalProperties: false, required: ['min', 'max'], properties: { min: ref('duration'), max: ref('duration') } }],
  },
  faults: {
    type: 'object',
    description: 'fault settings of a cable (each a fixed value or a range {min, max})',
    additionalProperties: false,
    properties: {
      latency: { ...ref('durationOrRange'), description: 'one-way delay of the cable (default 10us)' },
      jitter: { ...ref('durationOrRange'), description: 'extra delay, uniform from 0 to this, per frame' },
      loss: { ...ref('probabilityOrRange'), description: 'probability a frame is lost' },
      duplicate: { ...ref('probabilityOrRange'), description: 'probability a frame arrives twice' },
      reorder: { ...ref('probabilityOrRange'), description: 'probability a frame is held back by reorderDelay, so later ones overtake it' },
      reorderDelay: { ...ref('durationOrRange'), description: 'how long a reordered frame is held back (default 10ms)' },
      corrupt: { ...ref('probabilityOrRange'), description: 'probability one bit of the frame is flipped' },
    },
  },
  mac: { type: 'string', pattern: '^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$', description: 'a MAC address such as "02:00:00:00:00:01"' },
  ipv4: { type: 'string', pattern: '^[0-9]{1,3}(\\.[0-9]{1,3}){3}$', description: 'an IPv4 address such as "192.0.2.1"' },
  ipv4Prefix: { type: 'string', pattern: '^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$', description: 'an IPv4 address with a prefix length, such as "192.0.2.10/24"' },
  ipv6Prefix: { type: 'string', pattern: '^[0-9A-Fa-f:.]+/[0-9]{1,3}$', description: 'an IPv6 address or prefix with a length, such as "2001:db8:1::/64"' },
  name: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$', description: 'a name of letters, digits, ".", "_" and "-"' },
  nodePattern: { type: 'string', pattern: '^[A-Za-z0-9_.*?{}-]+$', description: 'a node name, or a pattern with * such as "h*"' },
  port: {
    type: 'string',
    pattern: '^[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+$',
    description: 'an interface as "node:iface", such as "h1:eth0"',
  },
};
