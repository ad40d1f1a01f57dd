/** Every command, for oclif's explicit command strategy (no directory scan at start-up). */
import PacketDecode from './packet/decode.js';
import PacketEncode from './packet/encode.js';
import SimRun from './sim/run.js';
import SimExplore from './sim/explore.js';
import SimWorker from './sim/worker.js';
import SimValidate from './sim/validate.js';
import SimSchema from './sim/schema.js';
import Isatapd from './isatapd.js';
import TunnelIsatap from './tunnel/isatap.js';
import Rtsold from './rtsold.js';
import Rtsol from './rtsol.js';
import Arpd from './arpd.js';

export const COMMANDS = {
  'packet:decode': PacketDecode,
  'packet:encode': PacketEncode,
  'sim:run': SimRun,
  'sim:explore': SimExplore,
  'sim:worker': SimWorker,
  'sim:validate': SimValidate,
  'sim:schema': SimSchema,
  isatapd: Isatapd,
  'tunnel:isatap': TunnelIsatap,
  rtsold: Rtsold,
  rtsol: Rtsol,
  arpd: Arpd,
};
