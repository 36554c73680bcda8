// node:test reporter for mutation runs (MUTATION.md): ends the process with
// exit code 1 at the first failing test, so that a killed mutant costs only
// the tests up to the first one that catches it.
export default async function* bail(source) {
  for await (const event of source) {
    if (event.type === 'test:fail') {
      process.stderr.write(`mutation run: failed: ${event.data.name}\n`)
      process.exit(1)
    }
  }
}
