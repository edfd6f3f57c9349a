// Preloaded into Azurite (`node --require <this file> azurite-blob ...`) by azureml_local/store/azurite_process.py.
//
// Azurite calls fdatasync after every blob it writes: 0.4-3 ms each on a virtual disk, for every step's
// log and outputs. It buys no durability a workspace can count on: Azurite keeps its blob index in
// memory and writes it to disk every 5 s (and when it stops) without any sync, so a blob is only found
// again once that index is saved, and a power loss can lose the unsynced index anyway. Without the
// sync, a blob's bytes reach the disk when the OS writes them back, as the index does. The workspace's
// SQLite store makes the same choice (synchronous=NORMAL). AZUREML_LOCAL_AZURITE_FSYNC=1 starts
// Azurite without this file (docs/storage.md).
"use strict";
const fs = require("fs");

fs.fdatasync = function fdatasyncSkipped(fd, callback) {
  process.nextTick(callback, null);
};
