import { Codec, Cookies, CookiesealError } from 'cookieseal'

// A fetch handler for Workers, Deno.serve, Bun.serve, Hono or SvelteKit:
// build it once from the secrets your platform gives you.
export function visits(secrets: string[]) {
  const cookies = new Cookies(new Codec({ secrets }))
  return async (request: Request): Promise<Response> => {
    let s
    try {
      s = cookies.read<{ visits: number }>(request, 'session')
    } catch (e) {
      if (!(e instanceof CookiesealError)) throw e // a bad cookie: start again
    }
    const n = (s?.value.visits ?? 0) + 1
    const res = new Response(`visit ${n}\n`)
    cookies.refresh(res.headers, request, 'session', { visits: n }, s?.info)
    return res
  }
}
