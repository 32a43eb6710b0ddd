// Fails when a core Backstage package is installed more than once: two copies
// of an API package split its React contexts and service refs at run time.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SINGLE_COPY = [
  '@backstage/core-plugin-api',
  '@backstage/backend-plugin-api',
  '@backstage/frontend-plugin-api',
  '@backstage/core-components',
  '@backstage/theme',
];

/** Every node_modules folder below `dir`, following package nesting. */
function* nodeModulesDirs(dir) {
  const nm = join(dir, 'node_modules');
  if (!existsSync(nm)) return;
  yield nm;
  for (const entry of readdirSync(nm, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    if (entry.name.startsWith('@')) {
      for (const scoped of readdirSync(join(nm, entry.name), {
        withFileTypes: true,
      })) {
        if (scoped.isDirectory())
          yield* nodeModulesDirs(join(nm, entry.name, scoped.name));
      }
    } else {
      yield* nodeModulesDirs(join(nm, entry.name));
    }
  }
}

const roots = [ROOT];
for (const group of ['packages', 'plugins']) {
  for (const name of readdirSync(join(ROOT, group)))
    roots.push(join(ROOT, group, name));
}

const copies = new Map(SINGLE_COPY.map(name => [name, []]));
for (const root of roots) {
  for (const nm of nodeModulesDirs(root)) {
    for (const name of SINGLE_COPY) {
      const manifest = join(nm, name, 'package.json');
      if (existsSync(manifest)) {
        const { version } = JSON.parse(readFileSync(manifest, 'utf8'));
        copies
          .get(name)
          .push(`${version} at ${relative(ROOT, join(nm, name))}`);
      }
    }
  }
}

let failed = false;
for (const [name, found] of copies) {
  if (found.length === 1) {
    console.log(`ok   ${name} ${found[0]}`);
  } else {
    failed = true;
    console.log(
      `FAIL ${name}: ${
        found.length === 0 ? 'not installed' : `${found.length} copies`
      }`,
    );
    for (const f of found) console.log(`       ${f}`);
  }
}
process.exit(failed ? 1 : 0);
