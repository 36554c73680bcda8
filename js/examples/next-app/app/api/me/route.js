// A route handler: reads the session, and saves it (a due refresh or
// re-issue under a rotated key is written here).
import { cookies } from 'next/headers'
import { getSession } from 'cookieseal/next'
import { sessionConfig } from '../../../lib/session.js'

export async function GET() {
  const session = getSession(await cookies(), sessionConfig())
  const user = session.data?.user
  if (!user) return Response.json({ error: 'log in' }, { status: 401 })
  session.save()
  return Response.json({ user, createdAt: session.createdAt })
}
