// esbuild plugins of the function bundles (serverless.yml: custom.esbuild.plugins).
const { readdirSync, readFileSync, writeFileSync } = require('node:fs');
const { dirname, join, relative, resolve, sep } = require('node:path');

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = Object.fromEntries([...BASE64].map((char, index) => [char, index]));

/** One mapping segment's fields (base-64 VLQ, relative values as in the source map). */
function decodeSegment(text) {
  const fields = [];
  let value = 0;
  let shift = 0;
  for (const char of text) {
    const digit = DIGIT[char];
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return fields;
}

function encodeValue(value) {
  let vlq = value < 0 ? (-value << 1) | 1 : value << 1;
  let text = '';
  do {
    let digit = vlq & 31;
    vlq >>>= 5;
    if (vlq > 0) digit |= 32;
    text += BASE64[digit];
  } while (vlq > 0);
  return text;
}

/**
 * The source map with only the mappings into our own code: segments that map into node_modules
 * become "unmapped from here" (a one-field segment), so a frame in the SDK is left as the bundle's
 * position instead of being mapped to a wrong line of ours. Sources and names keep their indices.
 */
function ownCodeOnly(map) {
  const ours = map.sources.map((source) => !/(^|\/)node_modules\//.test(source));
  const state = { source: 0, line: 0, column: 0, name: 0 };
  const out = { source: 0, line: 0, column: 0, name: 0 };
  // Whether the last segment kept maps into our code, across lines: a line that begins in
  // node_modules after one that ended in our code needs its "unmapped from here" segment too, or a
  // lookup there finds the last mapping before it, a line of ours.
  let lastKeptWasMapped = false;
  const lines = map.mappings.split(';').map((line) => {
    let generated = 0;
    let previousGenerated = 0;
    const kept = [];
    for (const text of line.split(',')) {
      if (!text) continue;
      const fields = decodeSegment(text);
      generated += fields[0];
      if (fields.length === 1) continue;
      state.source += fields[1];
      state.line += fields[2];
      state.column += fields[3];
      if (fields.length === 5) state.name += fields[4];
      if (!ours[state.source]) {
        if (lastKeptWasMapped) {
          kept.push(encodeValue(generated - previousGenerated));
          previousGenerated = generated;
          lastKeptWasMapped = false;
        }
        continue;
      }
      let segment = encodeValue(generated - previousGenerated) + encodeValue(state.source - out.source) + encodeValue(state.line - out.line) + encodeValue(state.column - out.column);
      out.source = state.source;
      out.line = state.line;
      out.column = state.column;
      if (fields.length === 5) {
        segment += encodeValue(state.name - out.name);
        out.name = state.name;
      }
      kept.push(segment);
      previousGenerated = generated;
      lastKeptWasMapped = true;
    }
    return kept.join(',');
  });
  return { ...map, mappings: lines.join(';'), sourcesContent: undefined, x_ownCodeOnly: true };
}

function mapFiles(folder) {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.map'))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

/**
 * The folder of the build that becomes the function's root (/var/task): the output folder less the
 * entry's folder within the project (serverless-esbuild writes handlers/x/handler.ts to
 * <work>/.build/handlers/x/, and zips <work>/.build), or the output folder itself when `outbase`
 * keeps the project's layout below it.
 */
function deployRoot(options, projectRoot) {
  const outdir = resolve(projectRoot, options.outdir);
  const entries = Array.isArray(options.entryPoints) ? options.entryPoints : Object.values(options.entryPoints ?? {});
  const first = entries[0];
  const entry = typeof first === 'string' ? first : first?.in;
  if (!entry) return outdir;
  const base = options.outbase ? resolve(projectRoot, options.outbase) : dirname(resolve(projectRoot, entry));
  const within = relative(projectRoot, base);
  return within && outdir.endsWith(sep + within) ? outdir.slice(0, -within.length - 1) : outdir;
}

/**
 * A map's sources as paths in the deployed folder: esbuild writes them relative to where the build
 * runs (`../../../../../handlers/...` from .esbuild/.build/handlers/x/), which, resolved in
 * /var/task/handlers/x/, climbs out of /var/task and names `/handlers/...`. A source inside the
 * project is rewritten to where that file would be below the deployed root, so a mapped frame reads
 * `/var/task/handlers/sqs-consumer/event.ts:46:11`. Sources outside the project stay as they are.
 */
function sourcesInDeployedRoot(map, mapFile, projectRoot, root) {
  const folder = dirname(mapFile);
  const sources = map.sources.map((source) => {
    const absolute = resolve(folder, source);
    const inProject = relative(projectRoot, absolute);
    if (inProject.startsWith('..') || inProject === absolute) return source;
    return relative(folder, join(root, inProject)).split(sep).join('/');
  });
  return { ...map, sources };
}

/**
 * Source maps of our code only. With `--enable-source-maps` Node reads each loaded file's map at
 * load time, and the SDK's share of the mappings made it cost up to half a cold start (bench:
 * source maps); a stack trace needs our frames mapped, not the SDK's.
 */
const ownCodeSourceMaps = {
  name: 'own-code-source-maps',
  setup(build) {
    build.onEnd((result) => {
      const folder = build.initialOptions.outdir;
      if (result.errors.length > 0 || !folder) return;
      const projectRoot = build.initialOptions.absWorkingDir ?? process.cwd();
      const root = deployRoot(build.initialOptions, projectRoot);
      for (const file of mapFiles(resolve(projectRoot, folder))) {
        const map = JSON.parse(readFileSync(file, 'utf8'));
        if (map.x_ownCodeOnly) continue;
        writeFileSync(file, JSON.stringify(sourcesInDeployedRoot(ownCodeOnly(map), file, projectRoot, root)));
      }
    });
  },
};

module.exports = [ownCodeSourceMaps];
module.exports.ownCodeOnly = ownCodeOnly;
module.exports.deployRoot = deployRoot;
