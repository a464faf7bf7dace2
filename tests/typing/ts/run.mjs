// The TypeScript typing corpus (issue 14): `good.ts` must pass `tsc --strict` (skipLibCheck off, so the
// declarations are checked too); `bad.ts` must fail on exactly the lines marked `// E:` (and nowhere else).
// good.ts also asserts that results are their concrete types, never `any` (`Is<typeof zone, Zone> = true`), and
// bad.ts that a result assigned to a wrong type fails. Run by `make test-typing` with bindings-node's tsc (its
// node_modules come from `make node-deps`), against bindings-node/index.d.ts (tsconfig.json here maps 'flarekit').
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const tsc = join(here, '..', '..', '..', 'bindings-node', 'node_modules', '.bin', 'tsc')
if (!existsSync(tsc)) {
  console.log(`typing: ${relative(process.cwd(), tsc)} is missing: run make node-deps`)
  process.exit(1)
}

const t0 = performance.now()
const proc = spawnSync(tsc, ['-p', join(here, 'tsconfig.json'), '--pretty', 'false', '--noEmit', '--strict'], {
  cwd: here,
  encoding: 'utf8',
})
const elapsed = (performance.now() - t0) / 1000
if (proc.error) {
  console.log(`typing: could not run tsc: ${proc.error.message}`)
  process.exit(1)
}

/** @type {Record<string, Set<number>>} */
const errors = { 'good.ts': new Set(), 'bad.ts': new Set() }
const problems = []
for (const line of proc.stdout.split('\n')) {
  if (!line.trim() || /^\s/.test(line)) continue // blank, or the continuation of a message
  const m = /^(.*)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line)
  if (!m) {
    problems.push(`unexpected tsc output: ${line}`)
    continue
  }
  const file = relative(here, join(here, m[1]))
  if (file in errors) errors[file].add(Number(m[2]))
  else problems.push(`an error outside the corpus (the declarations): ${line}`)
}
if (proc.status !== 0 && errors['good.ts'].size + errors['bad.ts'].size === 0 && problems.length === 0) {
  problems.push(`tsc exited with ${proc.status}: ${proc.stderr.trim()}`)
}
for (const n of [...errors['good.ts']].sort((a, b) => a - b)) problems.push(`good.ts:${n}: unexpected error`)

const marked = new Set()
readFileSync(join(here, 'bad.ts'), 'utf8')
  .split('\n')
  .forEach((text, i) => {
    if (/^\s*[^\s/].*\/\/\s*E:/.test(text)) marked.add(i + 1) // code, then the marker
  })
for (const n of [...marked].sort((a, b) => a - b)) {
  if (!errors['bad.ts'].has(n)) problems.push(`bad.ts:${n}: the marked mistake is not caught`)
}
for (const n of [...errors['bad.ts']].sort((a, b) => a - b)) {
  if (!marked.has(n)) problems.push(`bad.ts:${n}: an error on an unmarked line`)
}

for (const p of problems) console.log(`typing: ${p}`)
if (problems.length) {
  process.stdout.write(proc.stdout)
  process.exit(1)
}
console.log(
  `typing: ts: good.ts clean, ${marked.size} of ${marked.size} marked mistakes caught; tsc ${elapsed.toFixed(1)} s`,
)
