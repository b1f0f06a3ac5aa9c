import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export interface PlainNodeOptions {
  /** Where the script's bare imports resolve from: the package whose dependencies it uses. */
  readonly cwd: string;
  /** JSON-serialisable input; the script reads it from `process.env.CORRAL_BENCH_INPUT`. */
  readonly input?: unknown;
  /** Node flags, e.g. `--expose-gc`. */
  readonly nodeOptions?: readonly string[];
  /** Kill it after this long (default 120 s). */
  readonly timeoutMs?: number;
}

/** The environment variable a `runInPlainNode` script reads its input from. */
export const PLAIN_NODE_INPUT_ENV = 'CORRAL_BENCH_INPUT';

/**
 * Runs a TypeScript file (types stripped by `typescript`'s transpiler, nothing else) in a fresh
 * `node` without tsx, and resolves with its stdout. For memory figures: tsx's loader hooks run
 * on a thread of their own and add ~35 MB of RSS that a real deployment does not have.
 * The script runs as an ES module evaluated in `cwd`, so it may import packages but no
 * relative files. Rejects if it exits non-zero (its stderr is passed through).
 */
export async function runInPlainNode(
  file: string | URL,
  options: PlainNodeOptions,
): Promise<string> {
  const path = typeof file === 'string' ? file : fileURLToPath(file);
  // Loaded only here: the compiler is large, and scripts measured must not pay for it.
  const { default: ts } = await import('typescript');
  const { outputText } = ts.transpileModule(await readFile(path, 'utf8'), {
    fileName: path,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2023,
      sourceMap: false,
    },
  });
  const { cwd, input, nodeOptions = [], timeoutMs = 120_000 } = options;
  return new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...nodeOptions, '--input-type=module', '--eval', outputText],
      {
        cwd,
        env: { ...process.env, [PLAIN_NODE_INPUT_ENV]: JSON.stringify(input ?? null) },
        stdio: ['ignore', 'pipe', 'inherit'],
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
      },
    );
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve(Buffer.concat(chunks).toString('utf8'));
      else {
        const how = signal === null ? `exit code ${String(code)}` : `signal ${signal}`;
        reject(new Error(`${path} failed in plain node (${how})`));
      }
    });
  });
}
