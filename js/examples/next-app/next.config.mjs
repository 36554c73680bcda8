// The app is its own root: it sits inside the cookieseal repository, whose
// js/ folder has another lockfile that Next would otherwise take for the
// workspace root.
const root = import.meta.dirname

export default {
  turbopack: { root },
  outputFileTracingRoot: root,
}
