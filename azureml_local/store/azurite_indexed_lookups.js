// Preloaded into Azurite (`node --require <this file> azurite-blob ...`) by azureml_local/store/azurite_process.py.
//
// Azurite keeps its blob index in LokiJS and finds a blob with
// `findOne({accountName, containerName, name, snapshot})`. LokiJS turns that into an $and of the keys
// in their order and uses a binary index for the first one only: `accountName`, the same for every
// blob. So every upload, download and property read scanned all the blobs of the workspace: with
// 20,000 blobs (a few hundred runs' logs and outputs) a tiny PUT cost ~25 ms of Azurite's CPU
// instead of ~3 ms (benchmarks/bench_azurite_lookups.py). Putting the selective key first (`blobName`
// for blocks, else `name`, both indexed by Azurite) makes that first step a binary search; the other
// keys then filter the few rows it found. An $and of equalities gives the same rows in any order.
// When LokiJS cannot be found next to Azurite, nothing is changed and azurite.log says so.
"use strict";
const path = require("path");
const fs = require("fs");

const SELECTIVE_FIRST = ["blobName", "name"];

function selectiveFirst(query) {
  if (query === null || typeof query !== "object" || Array.isArray(query)) {
    return query;
  }
  const keys = Object.keys(query);
  if (keys.length < 2) {
    return query;
  }
  for (const key of SELECTIVE_FIRST) {
    if (typeof query[key] === "string") {
      if (keys[0] === key) {
        return query;
      }
      const reordered = { [key]: query[key] };
      for (const other of keys) {
        if (other !== key) {
          reordered[other] = query[other];
        }
      }
      return reordered;
    }
  }
  return query;
}

try {
  const azurite = fs.realpathSync(process.argv[1]);
  const Loki = require(require.resolve("lokijs", { paths: [path.dirname(azurite)] }));
  const find = Loki.Resultset.prototype.find;
  Loki.Resultset.prototype.find = function findSelectiveKeyFirst(query, firstOnly) {
    return find.call(this, selectiveFirst(query), firstOnly);
  };
} catch (error) {
  // another Azurite layout: it runs as shipped
  process.stderr.write(`azureml-local: blob lookups scan every blob (LokiJS not patched: ${error.message})\n`);
}
