/**
 * NeighborPort over rtnetlink (IPv4 only, as arpd): the kernel's resolution requests (RTM_GETNEIGH
 * sent to RTNLGRP_NEIGH when app_solicit > 0), entry changes (FAILED reports among them), dumps,
 * and after a receive-buffer overrun a fresh dump handed to onResync. Changes to the table go
 * through a NeighborWriter: rtnetlink directly when privileged, the privileged side otherwise.
 */
import type { NeighborEntry, NeighborPort, NeighborState, Unsubscribe } from '../../core/ports.js';
import * as rtnl from '../../core/wire/rtnetlink/index.js';
import type { NeighborMessage } from '../../core/wire/rtnetlink/index.js';
import { Ipv4Address } from '../../core/wire/ipv4-address.js';
import { MacAddress } from '../../core/wire/mac-address.js';
import { Handlers } from '../../core/handlers.js';
import { NetlinkSocket } from './netlink/socket.js';
import { neighborState } from './netlink/requests.js';
import type { NeighborWriter } from './interface-control.js';
import { PortStats } from './port-stats.js';

function entryOf(m: NeighborMessage): NeighborEntry | null {
  const ip = m.attributes.destination;
  if (m.family !== rtnl.AF_INET || !(ip instanceof Ipv4Address)) return null;
  const ll = m.attributes.lladdr;
  return { ifindex: m.index, ip, ...(ll && ll.length === 6 ? { mac: MacAddress.fromBytes(ll) } : {}), state: neighborState(m.state) };
}

export interface NeighborPortOptions {
  writer: NeighborWriter;
  /** Receive buffer of the notification socket; small values make overruns (tests). */
  receiveBuffer?: number;
}

export class LinuxNeighborPort implements NeighborPort {
  readonly stats = new PortStats();
  private readonly requests = new Handlers<{ ifindex: number; ip: Ipv4Address; state: NeighborState }>();
  private readonly changes = new Handlers<NeighborEntry & { removed: boolean }>();
  private readonly resyncs = new Handlers<NeighborEntry[]>();
  private readonly events: NetlinkSocket;
  private readonly dumps: NetlinkSocket;
  private closed = false;

  constructor(private readonly opts: NeighborPortOptions) {
    this.events = new NetlinkSocket({ groups: [rtnl.RTNLGRP_NEIGH], receiveBuffer: opts.receiveBuffer ?? 1 << 20 });
    this.dumps = new NetlinkSocket();
    this.events.onEvent((m) => this.onEvent(m));
    this.events.onOverrun(() => this.dump((entries) => this.resyncs.emit(entries)));
  }

  private onEvent(m: rtnl.RtnlMessage): void {
    if (this.closed || m.kind !== 'neighbor') return;
    const e = entryOf(m);
    if (!e) return;
    this.stats.received++;
    if (m.header.type === rtnl.RTM_GETNEIGH) this.requests.emit({ ifindex: e.ifindex, ip: e.ip, state: e.state });
    else if (m.header.type === rtnl.RTM_NEWNEIGH) this.changes.emit({ ...e, removed: false });
    else if (m.header.type === rtnl.RTM_DELNEIGH) this.changes.emit({ ...e, removed: true });
  }

  onRequest(handler: (r: { ifindex: number; ip: Ipv4Address; state: NeighborState }) => void): Unsubscribe {
    return this.requests.add(handler);
  }

  onChange(handler: (e: NeighborEntry & { removed: boolean }) => void): Unsubscribe {
    return this.changes.add(handler);
  }

  onResync(handler: (entries: NeighborEntry[]) => void): Unsubscribe {
    return this.resyncs.add(handler);
  }

  install(e: { ifindex: number; ip: Ipv4Address; mac: MacAddress; state: NeighborState }): void {
    if (this.closed) return;
    this.opts.writer.installNeighbor(e, (error) => this.outcome(error));
  }

  remove(ifindex: number, ip: Ipv4Address): void {
    if (this.closed) return;
    this.opts.writer.removeNeighbor(ifindex, ip, (error) => this.outcome(error));
  }

  private outcome(error?: string): void {
    if (error) this.stats.drop(new Error(error));
    else this.stats.sent++;
  }

  dump(done: (entries: NeighborEntry[]) => void): void {
    this.dumps.dump(rtnl.RTM_GETNEIGH, rtnl.AF_INET, (err, ms) => {
      if (err) {
        this.stats.error(err);
        return done([]);
      }
      const out: NeighborEntry[] = [];
      for (const m of ms) {
        const e = m.kind === 'neighbor' ? entryOf(m) : null;
        if (e) out.push(e);
      }
      done(out);
    });
  }

  /** Netlink overruns seen (each followed by a dump and onResync). */
  get overruns(): number {
    return this.events.stats.overruns;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.events.close();
    this.dumps.close();
  }
}
