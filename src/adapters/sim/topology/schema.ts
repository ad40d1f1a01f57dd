/**
 * The JSON Schema (draft 2020-12) of topology files, composed from the engine's own parts, every
 * node kind's config schema and every expectation kind's schema. `linklab sim schema` prints it,
 * schema/topology.schema.json is a committed copy (a test keeps it current), and the loader
 * validates with exactly this schema.
 */
import type { NodeKind } from '../node.js';
import type { ExpectationKind } from '../expectations/expectation.js';
import { expectationKinds } from '../expectations/index.js';
import { SHARED_DEFS, ref } from './defs.js';

/** Event kinds of the `events:` list, each the one key next to `at`. */
export const EVENT_KEYS = ['linkDown', 'linkUp', 'crash', 'restart', 'partition', 'heal', 'tell', 'dns'] as const;

function kindDef(kind: NodeKind): Record<string, unknown> {
  // A kind's schema may use its own $defs and local $refs: give it an $id so they resolve inside it.
  const { $schema: _drop, ...rest } = kind.configSchema;
  return { $id: `urn:linklab:node-kind:${kind.kind}`, ...rest };
}

export function topologySchema(kinds: readonly NodeKind[], expectations: readonly ExpectationKind[] = expectationKinds): Record<string, unknown> {
  const kindNames = kinds.map((k) => k.kind);
  const eventProps: Record<string, unknown> = {
    at: { ...ref('duration'), description: 'when the event happens' },
    linkDown: { ...ref('port'), description: 'takes an interface\'s link down ("node:iface")' },
    linkUp: { ...ref('port'), description: 'brings an interface\'s link back up' },
    crash: { ...ref('name'), description: 'crashes a node: its timers and volatile state are gone' },
    restart: { ...ref('name'), description: 'restarts a crashed node' },
    partition: {
      type: 'object',
      description: 'splits a segment into groups that cannot hear each other',
      additionalProperties: false,
      required: ['segment', 'groups'],
      properties: {
        segment: ref('name'),
        groups: {
          type: 'array',
          minItems: 1,
          items: { type: 'array', minItems: 1, items: { type: 'string', description: '"node:iface", a node, or a pattern such as "h*"' } },
        },
      },
    },
    heal: { ...ref('name'), description: 'ends a segment\'s partition' },
    tell: {
      type: 'object',
      description: 'a timed event for a node, handled by its kind (a router\'s new config...)',
      required: ['node', 'action'],
      properties: { node: ref('nodePattern'), action: { type: 'string' } },
    },
    dns: {
      type: 'object',
      description: 'changes what a name resolves to (an empty list removes it)',
      additionalProperties: false,
      required: ['name', 'addresses'],
      properties: { name: { type: 'string', minLength: 1 }, addresses: { type: 'array', items: ref('ipv4') } },
    },
  };
  const expectProps: Record<string, unknown> = {};
  for (const e of expectations) expectProps[e.key] = { ...e.schema, description: e.description };

  const defs: Record<string, unknown> = { ...SHARED_DEFS };
  for (const k of kinds) defs[`config.${k.kind}`] = kindDef(k);

  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'linklab simulator topology',
    description: 'Segments, an IPv4 underlay, nodes, timed events and expectations of a linklab sim run.',
    type: 'object',
    additionalProperties: false,
    required: ['nodes'],
    properties: {
      name: { type: 'string', description: 'what the topology is called in reports' },
      description: { type: 'string' },
      duration: { ...ref('duration'), description: 'how long a run lasts unless --until says otherwise (default 60s)' },
      segments: {
        type: 'object',
        description: 'Ethernet broadcast domains, by name',
        propertyNames: ref('name'),
        additionalProperties: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: {
            mtu: { type: 'integer', minimum: 68, maximum: 65535, description: 'default MTU of the segment\'s interfaces (1500)' },
            faults: { ...ref('faults'), description: 'fault settings every port on the segment starts from' },
          },
        },
      },
      underlay: {
        type: 'object',
        description: 'the IPv4 cloud that delivers packets by destination address (ISATAP)',
        additionalProperties: false,
        properties: { faults: ref('faults') },
      },
      dns: {
        type: 'object',
        description: 'names the simulated resolver knows, each with its IPv4 addresses',
        additionalProperties: { type: 'array', items: ref('ipv4') },
      },
      nodes: {
        type: 'object',
        description: 'nodes by name; a name with {i} and a count makes that many replicas',
        minProperties: 1,
        propertyNames: { type: 'string', pattern: '^[A-Za-z0-9_.-]*(\\{i\\})?[A-Za-z0-9_.-]*$', description: 'a node name, with {i} where replicas are numbered' },
        additionalProperties: ref('node'),
      },
      events: { type: 'array', description: 'timed events, each `at` plus one action', items: ref('event') },
      expect: { type: 'array', description: 'what must be true of the run', items: ref('expectation') },
    },
    $defs: {
      ...defs,
      interface: {
        type: 'object',
        description: 'an interface: on a segment (`segment:`) or on the underlay (`underlay: true`)',
        additionalProperties: false,
        properties: {
          segment: ref('name'),
          underlay: { const: true },
          mac: { ...ref('mac'), description: 'the first replica\'s MAC; the others count up from it (default: derived from the name)' },
          mtu: { type: 'integer', minimum: 68, maximum: 65535 },
          up: { type: 'boolean', description: 'link state at the start (default true)' },
          ipv4: { type: 'array', items: ref('ipv4Prefix'), description: 'IPv4 addresses; replicas count up from these' },
          ipv6: { type: 'array', items: ref('ipv6Prefix'), description: 'static IPv6 addresses; replicas count up from these' },
          faults: { ...ref('faults'), description: 'this port\'s faults, over the segment\'s' },
        },
      },
      node: {
        type: 'object',
        additionalProperties: false,
        required: ['kind'],
        properties: {
          kind: { enum: kindNames, description: `the node kind: ${kindNames.join(', ') || '(none registered)'}` },
          count: { type: 'integer', minimum: 1, description: 'how many replicas (the name needs {i})' },
          first: { type: 'integer', minimum: 0, description: 'the number of the first replica (default 1)' },
          startAt: { ...ref('duration'), description: 'when the node boots (default 0s)' },
          interfaces: { type: 'object', propertyNames: ref('name'), additionalProperties: ref('interface') },
          config: { type: 'object', description: 'the node kind\'s settings; {i} in text is the replica number' },
        },
        ...(kinds.length
          ? {
              allOf: kinds.map((k) => ({
                if: { properties: { kind: { const: k.kind } }, required: ['kind'] },
                then: { properties: { config: ref(`config.${k.kind}`) } },
              })),
            }
          : {}),
      },
      event: {
        type: 'object',
        description: `\`at\` and one of ${EVENT_KEYS.join(', ')}`,
        required: ['at'],
        minProperties: 2,
        maxProperties: 2,
        additionalProperties: false,
        properties: eventProps,
      },
      expectation: {
        type: 'object',
        description: `one of ${expectations.map((e) => e.key).join(', ')}`,
        minProperties: 1,
        maxProperties: 1,
        additionalProperties: false,
        properties: expectProps,
      },
    },
  };
}
