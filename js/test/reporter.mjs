// A node:test reporter: one line per failing test with its error, a line per
// file, and a closing line "N passed, N failed" (", N skipped").
export default async function* reporter(source) {
  let passed = 0, failed = 0, skipped = 0
  const failures = []
  for await (const event of source) {
    const d = event.data
    if (event.type === 'test:pass') {
      if (d.details?.type === 'suite') continue
      if (d.skip || d.todo) skipped++
      else passed++
    } else if (event.type === 'test:fail') {
      if (d.details?.type === 'suite') continue
      failed++
      const err = d.details?.error
      const msg = err?.cause?.stack ?? err?.cause?.message ?? err?.stack ?? String(err)
      failures.push(`FAIL ${d.name} (${d.file ?? ''})\n  ${String(msg).split('\n').slice(0, 8).join('\n  ')}`)
      yield `not ok ${d.name}\n`
    } else if (event.type === 'test:stderr' || event.type === 'test:stdout') {
      yield d.message
    } else if (event.type === 'test:diagnostic' && /^(tests|pass|fail|duration)/.test(d.message)) {
      // summarised below
    }
  }
  if (failures.length) yield '\n' + failures.join('\n\n') + '\n\n'
  yield `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`
}
