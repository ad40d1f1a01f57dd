// Prints the IPv4 addresses LinuxResolver finds for NAME (hosts file only), as JSON.
import { LinuxResolver, hostsFileFor } from '../../../src/adapters/linux/resolver.js';

const r = new LinuxResolver({ noDns: true });
r.resolve4(process.argv[2], (addresses, error) => {
  process.stdout.write(JSON.stringify({ addresses: addresses.map(String), error, hostsFile: hostsFileFor() }) + '\n');
});
