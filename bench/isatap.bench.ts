/**
 * The userspace ISATAP data plane against plain IPv6 over the same veth, in one run: two network
 * namespaces joined by a veth pair (198.18.0.1 and .2, the benchmark range); the router side runs
 * `linklab tunnel isatap` and radvd (UnicastOnly), the client side `linklab isatapd --link vethC`
 * with the userspace data plane, so the tunnel is the one a user gets. iperf3 measures TCP
 * throughput and the rate of small UDP datagrams (64 bytes of payload) received, once over the
 * tunnel (2001:db8:5::5efe:c612:1) and once over the veth itself (2001:db8:b::1), alternating,
 * best of three each. Needs root, iperf3, radvd and the built CLI (npm run build).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { save, type Row } from './harness.js';
import { Netns, cleanupAll } from '../test/netns/harness.js';

const REPO = join(import.meta.dirname, '..');
const CLI = join(REPO, 'bin', 'run.js');
const TUNNEL_DST = '2001:db8:5::5efe:c612:1';
const VETH_DST = '2001:db8:b::1';
const ROUNDS = 3;
const SECONDS = 5;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Iperf {
  end: {
    sum_received?: { bits_per_second: number };
    sum?: { packets: number; lost_packets: number; seconds: number };
  };
}

function iperf(client: Netns, dst: string, port: number, udp: boolean): Iperf {
  const args = ['iperf3', '-c', dst, '-p', String(port), '-t', String(SECONDS), '-J'];
  if (udp) args.push('-u', '-b', '0', '-l', '64');
  return JSON.parse(client.exec(args)) as Iperf;
}

function need(cmd: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
  } catch {
    throw new Error(`isatap benchmark: needs ${cmd} (Debian package ${cmd}); see scripts/debian-packages.txt`);
  }
}

export async function run(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('isatap benchmark: needs root (network namespaces)');
  for (const c of ['ip', 'iperf3', 'radvd']) need(c);
  if (!existsSync(join(REPO, 'dist', 'commands', 'isatapd.js'))) throw new Error('isatap benchmark: the CLI is not built (npm run build)');
  const dir = mkdtempSync(join(tmpdir(), 'lli-bench-'));
  try {
    const [router, client] = await Netns.linked('llib', { ifname: 'vethR', cidr: '198.18.0.1/15' }, { ifname: 'vethC', cidr: '198.18.0.2/15' });
    router.addr('vethR', `${VETH_DST}/64`, 'nodad');
    client.addr('vethC', '2001:db8:b::2/64', 'nodad');
    router.sysctl('net.ipv6.conf.all.forwarding', 1);
    client.hosts('127.0.0.1 localhost\n198.18.0.1 isatap\n');

    const tunnel = router.spawn(['node', CLI, 'tunnel', 'isatap', 'isatap0', '--local', '198.18.0.1']);
    await tunnel.waitFor(/isatap0 up/, 20_000);
    router.addr('isatap0', `${TUNNEL_DST}/64`);
    const conf = join(dir, 'radvd.conf');
    writeFileSync(conf, 'interface isatap0 {\n  AdvSendAdvert on;\n  UnicastOnly on;\n  prefix 2001:db8:5::/64 { };\n};\n');
    router.spawn(['radvd', '-n', '-C', conf, '-p', join(dir, 'radvd.pid'), '-m', 'stderr']);
    const isatapd = client.spawn(['node', CLI, 'isatapd', '--link', 'vethC', '--dataplane', 'userspace']);
    await isatapd.waitFor(/interface is0 up/, 20_000);
    const deadline = Date.now() + 20_000;
    while (!client.ip('-6', 'addr', 'show', 'dev', 'is0').includes('2001:db8:5::5efe:c612:2') && Date.now() < deadline) await sleep(100);
    if (!client.ip('-6', 'addr', 'show', 'dev', 'is0').includes('2001:db8:5::5efe:c612:2')) throw new Error(`isatapd did not configure its address:\n${isatapd.stderr}`);
    router.spawn(['iperf3', '-s', '-p', '5201']);
    await sleep(500);

    const best = { vethTcp: 0, tunnelTcp: 0, vethPps: 0, tunnelPps: 0 };
    const pps = (r: Iperf): number => {
      const s = r.end.sum!;
      return (s.packets - s.lost_packets) / s.seconds;
    };
    for (let round = 0; round < ROUNDS; round++) {
      best.vethTcp = Math.max(best.vethTcp, iperf(client, VETH_DST, 5201, false).end.sum_received!.bits_per_second);
      best.tunnelTcp = Math.max(best.tunnelTcp, iperf(client, TUNNEL_DST, 5201, false).end.sum_received!.bits_per_second);
      best.vethPps = Math.max(best.vethPps, pps(iperf(client, VETH_DST, 5201, true)));
      best.tunnelPps = Math.max(best.tunnelPps, pps(iperf(client, TUNNEL_DST, 5201, true)));
    }
    const tcpRatio = best.tunnelTcp / best.vethTcp;
    const target = Math.min(1e9, 0.25 * best.vethTcp);
    const rows: Row[] = [
      { name: 'TCP over the veth (plain IPv6)', value: best.vethTcp / 1e6, unit: 'Mbit/s' },
      {
        name: 'TCP through the userspace ISATAP tunnel',
        value: best.tunnelTcp / 1e6,
        unit: 'Mbit/s',
        target: `≥ ${Math.round(target / 1e6).toLocaleString('en-US')} Mbit/s (1 Gbit/s or 25% of the veth, whichever is lower)`,
        met: best.tunnelTcp >= target,
      },
      { name: 'UDP, 64-byte payloads, received over the veth', value: best.vethPps, unit: 'pkt/s' },
      { name: 'UDP, 64-byte payloads, received through the tunnel', value: best.tunnelPps, unit: 'pkt/s' },
    ];
    const ratios: Row[] = [
      { name: 'TCP: tunnel / veth', value: tcpRatio, unit: '×', target: `≥ ${(target / best.vethTcp).toFixed(3)} (the target above as a ratio)`, met: best.tunnelTcp >= target },
      { name: 'small UDP: tunnel / veth', value: best.tunnelPps / best.vethPps, unit: '×' },
    ];
    save({
      name: 'isatap',
      title: 'Userspace ISATAP tunnel (TUN + protocol 41) against the veth it runs over',
      method:
        `Two namespaces joined by a veth pair; the router side runs \`linklab tunnel isatap\` and radvd, the client \`linklab isatapd --link vethC\` (userspace data plane, packet half as nobody), so every tunnelled packet crosses both userspace data planes. iperf3 ${SECONDS} s runs, TCP and UDP with 64-byte payloads at full speed (received packets per second), over the tunnel and over plain IPv6 on the same veth, alternating, best of ${ROUNDS} each. The machine's cores are shared by iperf3's two ends and both data planes.`,
      rows,
      ratios,
    });
  } finally {
    cleanupAll();
    rmSync(dir, { recursive: true, force: true });
  }
}
