'use strict';
// Preloaded (node --require) into the processes the local AWS starts, so that none outlives the
// process that started it: when the parent dies, this process exits too.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 500).unref();
