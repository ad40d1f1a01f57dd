export { Arpd, ArpdError, type ArpdPorts } from './arpd.js';
export { defaultConfig, sysctlValues, checkConfig, type ArpdConfig } from './config.js';
export { ArpDatabase } from './database.js';
export { dumpText, DUMP_HEADER } from './dump.js';
export { parseLoad, type LoadResult, type LoadRow } from './load.js';
export { TokenBucket } from './token-bucket.js';
export { statsLines, type ArpdStats } from './stats.js';
export { encodeKey, decodeKey, encodeEntry, decodeEntry, type ArpEntry } from './record.js';
