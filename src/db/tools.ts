import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The project's Go-built tools (FerretDB and livekit-server), pinned in tools/<name>/go.mod and
 * built with the machine's Go into .bin/. Building once takes a minute or two; later runs reuse it.
 */
export type ToolName = 'ferretdb' | 'livekit-server';

const ROOT = path.resolve(__dirname, '..', '..');
const TOOL_DIRS: Record<ToolName, { dir: string; pkg: string }> = {
  ferretdb: { dir: 'tools/ferretdb', pkg: '.' },
  'livekit-server': { dir: 'tools/livekit', pkg: 'github.com/livekit/livekit-server/cmd/server' },
};

export function toolPath(name: ToolName): string {
  return path.join(ROOT, '.bin', name);
}

export class ToolUnavailableError extends Error {}

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (err) => resolve({ code: -1, output: String(err) }));
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

export async function goAvailable(): Promise<boolean> {
  const { code } = await run('go', ['version'], ROOT);
  return code === 0;
}

/** Builds the tool if .bin/<name> is missing; returns its path. */
export async function ensureTool(name: ToolName): Promise<string> {
  const target = toolPath(name);
  if (existsSync(target)) return target;
  if (!(await goAvailable())) {
    throw new ToolUnavailableError(`Go is not installed, so ${name} cannot be built`);
  }
  const { dir, pkg } = TOOL_DIRS[name];
  const { code, output } = await run('go', ['build', '-o', target, pkg], path.join(ROOT, dir));
  if (code !== 0) {
    throw new ToolUnavailableError(`building ${name} failed:\n${output.slice(-2000)}`);
  }
  return target;
}
