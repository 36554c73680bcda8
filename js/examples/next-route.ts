// app/api/me/route.ts in a Next.js App Router project (Node or edge runtime).
import { Codec, Cookies, CookiesealError, parseSecrets } from 'cookieseal'

const cookies = new Cookies(new Codec({ secrets: parseSecrets(process.env.COOKIESEAL_SECRETS) }), { hostPrefix: true })

export async function GET(request: Request): Promise<Response> {
  let session
  try {
    session = cookies.read<{ userId: number }>(request, 'session')
  } catch (e) {
    if (!(e instanceof CookiesealError)) throw e // e.code: ERR_COOKIESEAL_INVALID, _EXPIRED, _UNKNOWN_KEY, _TOO_LARGE
  }
  if (!session) return Response.json({ error: 'log in' }, { status: 401 })
  const res = Response.json({ userId: session.value.userId })
  // Judge the session first (revoked? issued before the password change?),
  // then let a rotated key or an old cookie be re-issued. It throws, and
  // writes nothing, if the session expired while this request ran:
  try {
    cookies.reissue(res.headers, request, 'session', session.value, session.info)
  } catch (e) {
    if (!(e instanceof CookiesealError)) throw e
    return Response.json({ error: 'log in' }, { status: 401 })
  }
  return res
}

// Login: check the credentials, then write, which starts a new session
// (issuedAt = createdAt = now) whatever cookie the request carried.
export async function POST(request: Request): Promise<Response> {
  const res = Response.json({ ok: true })
  cookies.write(res.headers, request, 'session', { userId: 42 })
  return res
}
