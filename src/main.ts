#!/usr/bin/env node
// First of all: on a Node older than package.json's `engines`, one line and exit 1 instead of a stack trace.
import './node-floor.cjs';
import { enableCompileCache } from 'node:module';
import { installSignalHandlers } from './process-signals';

// Node keeps the compiled code of the modules on disk (in the system's temporary folder, or where
// NODE_COMPILE_CACHE says), so each start after the first compiles less: `npm run bench:startup` measures it. Where
// nothing can be written (a read-only file system), a start is as it was; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
enableCompileCache();

// The signal handlers go in before the app's modules load (Nest and the drivers take a moment), so a signal during
// boot already finds one. The app is therefore loaded by a dynamic import after this statement: an import sorter
// can reorder import declarations, never a statement and the expression after it.
installSignalHandlers();
void import('./bootstrap').then(({ bootstrap }) => bootstrap());
