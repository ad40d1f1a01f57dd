/**
 * Small node kinds for engine tests (the real ones live in src/adapters/sim/nodes/): a beacon that
 * broadcasts a numbered frame every interval and counts what it hears, and a pinger over the
 * underlay that the other side answers.
 */
import type { NodeContext, NodeKind, SimNode } from '../../../../src/adapters/sim/node.js';
import { MacAddress } from '../../../../src/core/wire/mac-address.js';
import * as ethernet from '../../../../src/core/wire/ethernet.js';
import * as ipv4 from '../../../../src/core/wire/ipv4.js';
import { SECOND } from '../../../../src/core/time.js';
import { Ipv4Address } from '../../../../src/core/wire/ipv4-address.js';

export interface BeaconConfig {
  /** Seconds between frames (default 1). */
  interval?: number;
  /** Destination MAC (default broadcast). */
  to?: string;
  /** Frames to send (default: until the run ends). */
  count?: number;
  /** Payload bytes (default 46). */
  size?: number;
}

export class Beacon implements SimNode {
  readonly kind = 'beacon';
  sent = 0;
  heard: Array<{ t: number; from: string; seq: number }> = [];
  carrier: boolean[] = [];

  constructor(
    readonly ctx: NodeContext,
    readonly config: BeaconConfig,
  ) {}

  get name(): string {
    return this.ctx.name;
  }

  start(): void {
    const port = this.ctx.ethernet(this.ctx.interfaces[0].ifname);
    port.onFrame((f) => {
      const frame = ethernet.decode(f);
      if (frame.etherType !== 0x88b5) return;
      this.heard.push({ t: this.ctx.clock.now(), from: frame.src.toString(), seq: (frame.payload[0] << 8) | frame.payload[1] });
      this.ctx.trace.emit({ event: 'beacon.heard', node: this.name, from: frame.src.toString() });
    });
    port.onCarrier((up) => this.carrier.push(up));
    const interval = Math.round((this.config.interval ?? 1) * SECOND);
    const tick = (): void => {
      if (this.config.count !== undefined && this.sent >= this.config.count) return;
      const payload = new Uint8Array(this.config.size ?? 46);
      payload[0] = this.sent >> 8;
      payload[1] = this.sent & 0xff;
      port.send(ethernet.encode({ dst: this.config.to ? MacAddress.parse(this.config.to) : MacAddress.BROADCAST, src: port.mac, etherType: 0x88b5, payload }));
      this.sent++;
      this.ctx.trace.emit({ event: 'beacon.sent', node: this.name, seq: this.sent });
      this.ctx.clock.at(this.ctx.clock.now() + interval + this.ctx.random.int(0, 1000), tick);
    };
    this.ctx.clock.at(this.ctx.clock.now() + this.ctx.random.int(0, 1000), tick);
  }

  crash(): void {}

  summary(): Record<string, unknown> {
    return { sent: this.sent, heard: this.heard.length };
  }

  query(what: string): unknown {
    if (what === 'heard') return this.heard;
    return undefined;
  }
}

export const beaconKind: NodeKind<BeaconConfig> = {
  kind: 'beacon',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      interval: { type: 'number', exclusiveMinimum: 0 },
      to: { type: 'string' },
      count: { type: 'integer', minimum: 0 },
      size: { type: 'integer', minimum: 2, maximum: 9000 },
    },
  },
  events: { burst: { type: 'object', properties: { frames: { type: 'integer', minimum: 1 } }, required: ['frames'], additionalProperties: false } },
  create: (config, ctx) => {
    const b = new Beacon(ctx, config ?? {});
    return Object.assign(b, {
      handle(e: { action: string; frames?: number }) {
        if (e.action !== 'burst') throw new Error(`unknown action "${e.action}"`);
        const port = ctx.ethernet(ctx.interfaces[0].ifname);
        for (let i = 0; i < (e.frames ?? 1); i++) port.send(ethernet.encode({ dst: MacAddress.BROADCAST, src: port.mac, etherType: 0x88b5, payload: new Uint8Array(46) }));
      },
    });
  },
};

/** `kind: pinger`: sends one IPv4 datagram to `to` every second over its underlay interface; answers any it receives. */
export const pingerKind: NodeKind<{ to?: string }> = {
  kind: 'pinger',
  configSchema: { type: 'object', additionalProperties: false, properties: { to: { type: 'string' } } },
  create: (config, ctx) => {
    let answered = 0;
    return {
      name: ctx.name,
      kind: 'pinger',
      start() {
        const port = ctx.underlay(ctx.interfaces[0].ifname);
        port.onPacket((p) => {
          let d;
          try {
            d = ipv4.decode(p);
          } catch {
            ctx.trace.emit({ event: 'pinger.malformed', node: ctx.name });
            return; // a corrupted packet: counted, never fatal
          }
          if (d.payload[0] === 1) {
            port.send(ipv4.encode({ src: port.addresses[0], dst: d.src, ttl: 64, protocol: 253, payload: Uint8Array.of(2) }));
          } else {
            answered++;
            ctx.trace.emit({ event: 'ping.ok', node: ctx.name, to: d.src.toString() });
          }
        });
        if (config?.to) {
          const dst = Ipv4Address.parse(config.to);
          const tick = (): void => {
            port.send(ipv4.encode({ src: port.addresses[0], dst, ttl: 64, protocol: 253, payload: Uint8Array.of(1) }));
            ctx.clock.at(ctx.clock.now() + SECOND, tick);
          };
          ctx.clock.at(SECOND, tick);
        }
      },
      crash() {},
      summary: () => ({ answered }),
    };
  },
};

export const testKinds: NodeKind<any>[] = [beaconKind, pingerKind]; // eslint-disable-line @typescript-eslint/no-explicit-any
