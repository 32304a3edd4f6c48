#!/usr/bin/env node
// Entry point for `npx repro`: registers tsx so the TypeScript sources run with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/engine/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
