/**
 * Where the plugin executable lives in a checkout: the one-line wrapper lightningd is pointed at
 * (`plugin=…/services/cln-plugin/hivebox-plugin`). simnet launches the same file.
 */
import { join } from 'node:path';

/** Absolute path of `services/cln-plugin/hivebox-plugin`. */
export const HIVEBOX_PLUGIN_EXECUTABLE = join(import.meta.dir, 'hivebox-plugin');
