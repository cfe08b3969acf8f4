#!/usr/bin/env node
// `npm run build`: everything, from scratch if --force.
import { buildStale, checkNode, ensureDependencies, green } from './lib.mjs';

checkNode();
ensureDependencies();
buildStale({ force: process.argv.includes('--force') });
process.stdout.write(`${green('✓')} build up to date\n`);
