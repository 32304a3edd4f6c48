#!/usr/bin/env node
// Entry point for `npx repro`: registers tsx so the TypeScript sources run with no build step.
import { register } from 'tsx/esm/api';

// A reader that stops early (`repro status | head`) closes the pipe: stop quietly, as a
// command killed by SIGPIPE would, instead of dying on an unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(0);
  });
}

register();
const { main } = await import('../src/engine/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
