import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Stack traces that name our TypeScript files and lines, at no cost to a cold start.
 *
 * `--enable-source-maps` makes Node read and parse the source map of every file it loads, when it
 * loads it: 10-19 % of a cold start here (bench: source maps), for traces most invocations never
 * print. Instead this formats stack traces itself (`Error.prepareStackTrace`, which V8 calls only
 * when an error's `stack` is first read) and maps each frame of a bundle file through that file's
 * `.map` beside it (esbuild's `<file>.map`), read and parsed with Node's own `module.SourceMap` the
 * first time a trace needs it. Frames without a mapping (Node's own, the SDK's: the bundles map our
 * code only, see deploy/esbuild-plugins.cjs) are printed as V8 prints them.
 *
 * When Node maps traces itself (`--enable-source-maps`), or something else formats them already
 * (a test runner's source-map support), this leaves them to it.
 */

/** The source map of each bundle file that a trace has needed so far (null: it has none). */
const sourceMaps = new Map<string, SourceMap | null>();

function sourceMapOf(fileName: string): SourceMap | null {
  let map = sourceMaps.get(fileName);
  if (map !== undefined) return map;
  map = null;
  try {
    const path = fileName.startsWith('file:') ? fileURLToPath(fileName) : fileName;
    const payload = JSON.parse(readFileSync(`${path}.map`, 'utf8')) as { sources: string[] };
    // Sources as absolute paths, resolved against the map's folder as Node does.
    payload.sources = payload.sources.map((source) => resolve(dirname(path), source));
    map = new SourceMap(payload as never);
  } catch {
    // No map beside the file (not a bundle of ours, or shipped without maps): frames stay as they are.
  }
  sourceMaps.set(fileName, map);
  return map;
}

interface Origin {
  file: string;
  line: number;
  column: number;
}

/** V8's call site, with the position of the function it is in (not in @types/node). */
type Frame = NodeJS.CallSite & { getEnclosingLineNumber?(): number | null; getEnclosingColumnNumber?(): number | null };

/** The map entry of a bundle position (1-based, as V8 gives it), if it maps into our sources. */
function entryAt(fileName: string | null | undefined, line: number | null | undefined, column: number | null | undefined) {
  if (!fileName || !line || !column || fileName.startsWith('node:')) return undefined;
  const entry = sourceMapOf(fileName)?.findEntry(line - 1, column - 1);
  // Node's entries carry the original `name` too (not in @types/node's SourceMapping).
  return entry && 'originalSource' in entry && entry.originalSource ? (entry as typeof entry & { name?: string }) : undefined;
}

/** Where a frame is in our sources, if mapped. */
function originOf(frame: Frame): Origin | undefined {
  const entry = entryAt(frame.getFileName(), frame.getLineNumber(), frame.getColumnNumber());
  return entry && { file: entry.originalSource, line: entry.originalLine + 1, column: entry.originalColumn + 1 };
}

/**
 * The original name of a frame's function (the bundles are minified): recorded where the function
 * begins, else where the frame below calls it (as Node finds it).
 */
function originalName(frame: Frame, caller: Frame | undefined): string | undefined {
  const fileName = frame.getFileName();
  const enclosing = entryAt(fileName, frame.getEnclosingLineNumber?.(), frame.getEnclosingColumnNumber?.());
  if (enclosing?.name) return enclosing.name;
  if (caller && caller.getFileName() === fileName) return entryAt(fileName, caller.getLineNumber(), caller.getColumnNumber())?.name;
  return undefined;
}

/** One frame as V8 writes it, or, when it maps into our sources, with the original file, line and name. */
function formatFrame(frame: Frame, caller: Frame | undefined): string {
  const origin = originOf(frame);
  if (!origin) return frame.toString();
  const position = `${origin.file}:${origin.line}:${origin.column}`;
  const name = originalName(frame, caller) ?? frame.getFunctionName() ?? frame.getMethodName();
  const prefix = frame.isAsync() ? 'async ' : frame.isConstructor() ? 'new ' : '';
  return name ? `${prefix}${name} (${position})` : `${prefix}${position}`;
}

function headerOf(error: Error): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return '<error>';
  }
}

function prepareStackTrace(error: Error, frames: Frame[]): string {
  return [headerOf(error), ...frames.map((frame, index) => `    at ${formatFrame(frame, frames[index + 1])}`)].join('\n');
}

// Node (22+) installs a default of its own, ErrorPrepareStackTrace; anything else is someone's choice.
const installed = Error.prepareStackTrace;
if (!process.sourceMapsEnabled && (!installed || installed.name === 'ErrorPrepareStackTrace')) Error.prepareStackTrace = prepareStackTrace;
