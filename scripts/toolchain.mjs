// Finds or fetches the Node.js and Yarn this repository runs on, and installs
// dependencies when package manifests changed. Runs on any Node >= 20.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
export const NODE_VERSION = '22.23.3';
const TOOLCHAIN_DIR = join(ROOT, '.toolchain');
export const YARN_RELEASE = join(ROOT, '.yarn', 'releases', 'yarn-4.13.0.cjs');
const INSTALL_STAMP = join(ROOT, 'node_modules', '.portal-install-stamp');

export function log(message) {
  process.stdout.write(`\u001b[36m[portal]\u001b[0m ${message}\n`);
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    cwd: ROOT,
    ...options,
  });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function mustRun(command, args, options) {
  const status = run(command, args, options);
  if (status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${status}`);
  }
}

/**
 * Node 22 is required: Backstage needs 22 or 24, and better-sqlite3 aborts on
 * Node 24.19+. A machine Node of another major gets a project-local Node 22
 * unpacked from the npm registry's node-<platform>-<arch> package.
 */
export function ensureNode() {
  if (process.versions.node.split('.')[0] === '22') {
    return { nodeBin: process.execPath, nodeDir: undefined };
  }
  const nodeDir = join(TOOLCHAIN_DIR, `node-v${NODE_VERSION}`);
  const nodeBin = join(nodeDir, 'bin', 'node');
  if (!existsSync(nodeBin)) {
    const pkg = `node-${process.platform}-${process.arch}@${NODE_VERSION}`;
    log(
      `Node ${process.versions.node} found; fetching ${pkg} into .toolchain/`,
    );
    mkdirSync(TOOLCHAIN_DIR, { recursive: true });
    const unpack = join(TOOLCHAIN_DIR, 'unpack');
    rmSync(unpack, { recursive: true, force: true });
    mkdirSync(unpack);
    const npmCli = process.env.npm_execpath;
    const [cmd, args] = npmCli
      ? [process.execPath, [npmCli, 'pack', pkg, '--silent']]
      : ['npm', ['pack', pkg, '--silent']];
    mustRun(cmd, args, { cwd: unpack, stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = readdirSync(unpack).find(f => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${pkg} produced no tarball`);
    mustRun('tar', ['xzf', tarball], { cwd: unpack });
    rmSync(nodeDir, { recursive: true, force: true });
    renameSync(join(unpack, 'package'), nodeDir);
    rmSync(unpack, { recursive: true, force: true });
  }
  return { nodeBin, nodeDir };
}

/** A `yarn` command on PATH that runs the vendored release with our Node. */
function ensureYarnShim({ nodeBin }) {
  const binDir = join(TOOLCHAIN_DIR, 'bin');
  const shim = join(binDir, 'yarn');
  const body = `#!/bin/sh\nexec "${nodeBin}" "${YARN_RELEASE}" "$@"\n`;
  if (!existsSync(shim) || readFileSync(shim, 'utf8') !== body) {
    mkdirSync(binDir, { recursive: true });
    writeFileSync(shim, body, { mode: 0o755 });
  }
  return binDir;
}

/** Environment for every child process: our Node and Yarn first on PATH, headers for node-gyp. */
export function toolchainEnv(toolchain, extra = {}) {
  const { nodeBin, nodeDir } = toolchain;
  const env = {
    ...process.env,
    PATH: `${ensureYarnShim(toolchain)}:${dirname(nodeBin)}:${
      process.env.PATH ?? ''
    }`,
    ...extra,
  };
  if (nodeDir) env.npm_config_nodedir = nodeDir;
  // npm exports its own settings to children; they confuse Yarn and node-gyp.
  for (const key of Object.keys(env)) {
    if (key.startsWith('npm_') && key !== 'npm_config_nodedir') delete env[key];
  }
  return env;
}

export function yarn(toolchain, args, env) {
  return run(toolchain.nodeBin, [YARN_RELEASE, ...args], { env });
}

function manifestHash(toolchain) {
  const hash = createHash('sha256');
  hash.update(toolchain.nodeBin);
  hash.update(NODE_VERSION);
  hash.update(readFileSync(join(ROOT, 'yarn.lock')));
  for (const dir of ['', 'packages', 'plugins']) {
    const base = join(ROOT, dir);
    const names = dir === '' ? [''] : readdirSync(base).sort();
    for (const name of names) {
      const manifest = join(base, name, 'package.json');
      if (existsSync(manifest)) hash.update(readFileSync(manifest));
    }
  }
  return hash.digest('hex');
}

/** Runs `yarn install` only when the lockfile or a manifest changed since the last one. */
export function ensureInstall(toolchain, env) {
  const wanted = manifestHash(toolchain);
  if (
    existsSync(INSTALL_STAMP) &&
    readFileSync(INSTALL_STAMP, 'utf8') === wanted
  ) {
    return;
  }
  log('Installing dependencies (the first time takes a few minutes)');
  const args = process.env.CI ? ['install', '--immutable'] : ['install'];
  if (yarn(toolchain, args, env) !== 0) {
    throw new Error('yarn install failed');
  }
  writeFileSync(INSTALL_STAMP, manifestHash(toolchain));
}
