/** Every Lightning node stand-in passes the same conformance suite (suite.ts, stand-ins.ts). */
import { STAND_INS } from './stand-ins.ts';
import { conformanceSuite } from './suite.ts';

for (const s of STAND_INS) conformanceSuite(s);
