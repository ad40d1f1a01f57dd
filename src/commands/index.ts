/** Every command, for oclif's explicit command strategy (no directory scan at start-up). */
import PacketDecode from './packet/decode.js';
import PacketEncode from './packet/encode.js';

export const COMMANDS = {
  'packet:decode': PacketDecode,
  'packet:encode': PacketEncode,
};
