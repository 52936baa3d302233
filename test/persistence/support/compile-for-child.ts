import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';

/**
 * Transpile src/actors/persistence to plain ESM in a temp folder, so several separate Node
 * processes can race on the real code (Node 20 cannot run the .ts sources itself). A node_modules
 * link lets the output import zod.
 */
export function compilePersistenceForChildren(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'sko-persistence-js-'));
  const source = path.resolve('src/actors/persistence');
  mkdirSync(dir, { recursive: true });
  symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'), 'dir');
  for (const file of readdirSync(source).filter((name) => name.endsWith('.ts'))) {
    const output = ts.transpileModule(readFileSync(path.join(source, file), 'utf8'), {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: false,
      },
    });
    writeFileSync(path.join(dir, file.replace(/\.ts$/, '.js')), output.outputText);
  }
  writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
