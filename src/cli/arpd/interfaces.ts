/** The interfaces named on the command line, checked as the original checks them (exit 255). */
import { native } from '../../adapters/linux/addon.js';
import { ArpdUsageError, badIfname } from './options.js';

/** Their indexes, in order; a bad name or a missing interface is the original's error. */
export function interfaceIndexes(names: readonly string[]): number[] {
  return names.map((name) => {
    if (badIfname(name)) throw new ArpdUsageError(`Error: argument "${name}" is wrong: not a valid ifname`, false, 255);
    const ifindex = native().ifNameToIndex(name);
    if (ifindex === 0) throw new ArpdUsageError(`ioctl(SIOCGIFINDEX): No such device (${name})`, false, 255);
    return ifindex;
  });
}
