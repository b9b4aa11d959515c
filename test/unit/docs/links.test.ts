import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from '../../../shared/stage-env';

/**
 * The docs are a map: every relative link and #anchor of README.md, CONTRIBUTING.md and docs/**
 * leads somewhere, every file path they name in backticks exists, and every test they name
 * (`file.test.ts › describe › it`) is there. docs/_pending/ is left out: it holds text the
 * coordinator folds into the README, with the README's relative paths.
 */

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === '_pending' ? [] : markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

const files = [join(ROOT, 'README.md'), join(ROOT, 'CONTRIBUTING.md'), ...markdownFiles(join(ROOT, 'docs'))];
const show = (file: string) => relative(ROOT, file);

/** The lines of a markdown file that are prose: fenced code blocks are left out. */
function proseLines(text: string): string[] {
  let fenced = false;
  return text.split('\n').map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line;
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens (github-slugger). */
function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
}

/** Every anchor a file's headings give, with GitHub's -1, -2 for repeated headings. */
function anchors(file: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of proseLines(readFileSync(file, 'utf8'))) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

/** The link targets of a file's prose: inline links and images, and reference definitions. */
function links(file: string): string[] {
  const targets: string[] = [];
  for (const line of proseLines(readFileSync(file, 'utf8'))) {
    const prose = line.replace(/`[^`]*`/g, '');
    for (const match of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(match[1] ?? '');
    const definition = /^\s*\[[^\]]+\]:\s*(\S+)/.exec(prose)?.[1];
    if (definition) targets.push(definition);
  }
  return targets;
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

/** What is wrong with a relative link of `file`, or undefined when it resolves. */
function brokenLink(file: string, target: string): string | undefined {
  const [path = '', anchor] = target.split('#', 2);
  const destination = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
  if (!existsSync(destination)) return `${show(file)}: ${target} (no such file ${show(destination)})`;
  if (anchor === undefined || anchor === '') return undefined;
  if (!destination.endsWith('.md')) return `${show(file)}: ${target} (an anchor into a file that is not markdown)`;
  if (!anchors(destination).has(decodeURIComponent(anchor))) return `${show(file)}: ${target} (no heading #${anchor} in ${show(destination)})`;
  return undefined;
}

/** Repository paths named in backticks (`handlers/x.ts`), placeholders and globs left out. */
const ROOMS = ['handlers', 'local-aws', 'cli', 'shared', 'test', 'bench', 'scripts', 'deploy', 'resources', 'config', 'events', 'patches', 'docs'];
function namedPaths(file: string): string[] {
  const paths: string[] = [];
  for (const line of proseLines(readFileSync(file, 'utf8'))) {
    for (const match of line.matchAll(/`([^`\s]+)`/g)) {
      const path = match[1] ?? '';
      if (!ROOMS.some((room) => path.startsWith(`${room}/`))) continue;
      if (/[<>*…{}$]/.test(path)) continue;
      paths.push(path.replace(/[:,.]+$/, ''));
    }
  }
  return paths;
}

const testFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? testFiles(path) : name.endsWith('.test.ts') ? [path] : [];
  });
const allTests = testFiles(join(ROOT, 'test'));

/** The titles of a test file's describe and it blocks. */
function titles(testFile: string): string[] {
  const source = readFileSync(testFile, 'utf8');
  return [...source.matchAll(/\b(?:describe|it|test)(?:\.each\([^)]*\))?\(\s*(['"`])((?:\\.|(?!\1).)*)\1/g)].map((m) => (m[2] ?? '').replace(/\\(.)/g, '$1'));
}

/** `file.test.ts › describe › it` references of a file, each part a title (or the start of one, ending in …). */
function namedTests(file: string): { file: string; parts: string[] }[] {
  const named: { file: string; parts: string[] }[] = [];
  for (const line of proseLines(readFileSync(file, 'utf8'))) {
    for (const match of line.matchAll(/`([^`]*?\.test\.ts)\s*((?:›[^`]*)?)`/g)) {
      const parts = (match[2] ?? '')
        .split('›')
        .map((part) => part.trim().replace(/…$/, '').trim())
        .filter((part) => part !== '');
      if (!/[<>*]/.test(match[1] ?? '')) named.push({ file: match[1] ?? '', parts });
    }
  }
  return named;
}

function brokenTestName(file: string, reference: { file: string; parts: string[] }): string | undefined {
  const candidates = reference.file.startsWith('test/')
    ? allTests.filter((path) => path === join(ROOT, reference.file))
    : allTests.filter((path) => path.endsWith(`/${reference.file}`));
  if (candidates.length === 0) return `${show(file)}: ${reference.file} (no such test file)`;
  const known = candidates.flatMap(titles);
  const missing = reference.parts.find((part) => !known.some((title) => title.startsWith(part)));
  return missing === undefined ? undefined : `${show(file)}: ${reference.file} has no test or describe "${missing}"`;
}

describe('the docs', () => {
  it('slug headings as GitHub does', () => {
    expect(slug('Parameters (serverless.yml `params`)')).toBe('parameters-serverlessyml-params');
    expect(slug("The deployer's permissions (`deploy/deployer-policy.json`)")).toBe('the-deployers-permissions-deploydeployer-policyjson');
    expect(slug('5. Patch a dependency')).toBe('5-patch-a-dependency');
    expect(slug('`sls invoke local` and `sls offline`')).toBe('sls-invoke-local-and-sls-offline');
  });

  it('link only to files and headings that exist', () => {
    const relativeLinks = files.flatMap((file) => links(file).filter((target) => !isExternal(target)).map((target) => ({ file, target })));

    // A parser that found nothing would pass: the README alone links every page of docs/.
    expect(relativeLinks.length).toBeGreaterThan(20);
    expect(relativeLinks.flatMap(({ file, target }) => brokenLink(file, target) ?? [])).toEqual([]);
  });

  it('name only repository paths that exist', () => {
    const named = files.flatMap((file) => namedPaths(file).map((path) => ({ file, path })));

    expect(named.length).toBeGreaterThan(50);
    expect(named.filter(({ path }) => !existsSync(join(ROOT, path))).map(({ file, path }) => `${show(file)}: ${path}`)).toEqual([]);
  });

  it('name only tests that exist (file › describe › it)', () => {
    const named = files.flatMap((file) => namedTests(file).map((reference) => ({ file, reference })));

    expect(named.length).toBeGreaterThan(20);
    expect(named.flatMap(({ file, reference }) => brokenTestName(file, reference) ?? [])).toEqual([]);
  });

  it('keep the README a front page of at most 250 lines', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(250);
  });
});
