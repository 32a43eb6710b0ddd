// Fails when a Backstage package is installed more than once (two copies of
// an API package split its React contexts and service refs at run time), and
// when one of the core API packages is missing.
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
    const scope = join(nm, '@backstage');
    if (!existsSync(scope)) continue;
    for (const pkg of readdirSync(scope)) {
      const manifest = join(scope, pkg, 'package.json');
      if (!existsSync(manifest)) continue;
      const name = `@backstage/${pkg}`;
      const { version } = JSON.parse(readFileSync(manifest, 'utf8'));
      if (!copies.has(name)) copies.set(name, []);
      copies
        .get(name)
        .push(`${version} at ${relative(ROOT, join(scope, pkg))}`);
    }
  }
}

let failed = false;
for (const [name, found] of copies) {
  if (found.length === 1) {
    if (SINGLE_COPY.includes(name)) console.log(`ok   ${name} ${found[0]}`);
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
console.log(`${copies.size} @backstage packages checked`);
process.exit(failed ? 1 : 0);
