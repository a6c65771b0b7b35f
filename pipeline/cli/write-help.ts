/** Build step (`npm run build`, after tsc): writes dist/pipeline/cli/help.json for bin/csp.js. */
import { writeHelpFile } from './help-file.js';

await writeHelpFile();
