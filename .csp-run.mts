import { main } from './pipeline/cli/main.ts';
const code = await main(process.argv.slice(2), { cwd: process.cwd(), env: process.env, out: (t) => console.log(t), err: (t) => console.error(t) });
process.exit(code);
