import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { ROOT } from '../../../shared/stage-env';

/**
 * The AWS operations a function's code can send, read from its sources: every module reachable from
 * its handler through static imports, re-exports and dynamic `import()`s (what esbuild bundles and
 * splits into its chunks), and in each the value imports that make an AWS call:
 * - `XCommand` and `paginateX` from an `@aws-sdk/client-<service>` package: operation `<service>:X`;
 * - the Powertools helpers that send a command of their own (below).
 * Type-only imports are not calls. The operation names the SDK command (`s3:HeadObject`), not the
 * IAM action: a call table maps each to the actions AWS authorizes for it.
 */
const HELPERS: Record<string, Record<string, string>> = {
  // getParameter sends SSM GetParameter (with WithDecryption for decrypt: true).
  '@aws-lambda-powertools/parameters/ssm': { getParameter: 'ssm:GetParameter', getParameters: 'ssm:GetParameters', getParametersByName: 'ssm:GetParameters' },
};

function resolveModule(from: string, specifier: string): string | undefined {
  const base = join(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
}

function operationOf(module: string, name: string): string | undefined {
  const helper = HELPERS[module]?.[name];
  if (helper) return helper;
  const service = /^@aws-sdk\/client-([a-z0-9-]+)$/.exec(module)?.[1];
  if (!service) return undefined;
  const api = /^(\w+)Command$/.exec(name)?.[1] ?? /^paginate(\w+)$/.exec(name)?.[1];
  return api ? `${service}:${api}` : undefined;
}

export interface CodeCalls {
  /** Project-relative paths of the modules reached from the handler. */
  modules: string[];
  /** Operation -> the modules that import it. */
  operations: Map<string, string[]>;
}

/** What the handler at `handlerPath` (project-relative, e.g. handlers/s3-copier/handler.ts) can call. */
export function callsReachableFrom(handlerPath: string): CodeCalls {
  const seen = new Set<string>();
  const operations = new Map<string, string[]>();
  const queue = [join(ROOT, handlerPath)];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const where = relative(ROOT, file);
    const follow = (specifier: string) => {
      // Packages are not our code (their calls are the helpers above); JSON holds data, no calls.
      if (!specifier.startsWith('.') || specifier.endsWith('.json')) return;
      const target = resolveModule(file, specifier);
      if (!target) throw new Error(`${where}: cannot resolve ${specifier}`);
      queue.push(target);
    };
    const record = (module: string, name: string) => {
      const operation = operationOf(module, name);
      if (operation) operations.set(operation, [...(operations.get(operation) ?? []), where]);
    };
    const visit = (node: ts.Node): void => {
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        const module = node.moduleSpecifier.text;
        const typeOnly = ts.isImportDeclaration(node) ? node.importClause?.isTypeOnly === true : node.isTypeOnly;
        if (!typeOnly) {
          follow(module);
          const bindings = ts.isImportDeclaration(node) ? node.importClause?.namedBindings : node.exportClause;
          if (bindings && (ts.isNamedImports(bindings) || ts.isNamedExports(bindings))) {
            for (const element of bindings.elements) if (!element.isTypeOnly) record(module, (element.propertyName ?? element.name).text);
          }
        }
      }
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const [argument] = node.arguments;
        if (argument && ts.isStringLiteralLike(argument)) follow(argument.text);
        else throw new Error(`${where}: a dynamic import of a computed path cannot be followed`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { modules: [...seen].map((file) => relative(ROOT, file)).sort(), operations };
}
