#!/usr/bin/env node
// Thin shim: all logic lives in the compiled CLI (built by `npm ci` through the prepare script).
await import('../dist/cli/main.js');
