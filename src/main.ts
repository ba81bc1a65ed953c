#!/usr/bin/env node
import { installSignalHandlers } from './process-signals';

// The signal handlers go in before the app's modules load (Nest and the drivers take a moment), so a signal during
// boot already finds one. The app is therefore loaded by a dynamic import after this statement: an import sorter
// can reorder import declarations, never a statement and the expression after it.
installSignalHandlers();
void import('./bootstrap').then(({ bootstrap }) => bootstrap());
