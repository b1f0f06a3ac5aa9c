#!/usr/bin/env node
// Placeholder entry until the commands land.
console.log('corral');
