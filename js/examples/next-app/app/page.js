// A Server Component: it reads the session (Next forbids writing cookies here).
import { cookies } from 'next/headers'
import { getSession } from 'cookieseal/next'
import { sessionConfig } from '../lib/session.js'
import { login, logout } from './actions.js'

export default async function Home() {
  const session = getSession(await cookies(), sessionConfig())
  const user = session.data?.user
  if (!user) {
    return (
      <main>
        <p id="status">Not signed in</p>
        <form action={login}>
          <input name="user" placeholder="name" />
          <button id="login" type="submit">Log in</button>
        </form>
      </main>
    )
  }
  return (
    <main>
      <p id="status">Signed in as {user}</p>
      <p id="since">since {session.createdAt?.toISOString()}</p>
      <form action={logout}>
        <button id="logout" type="submit">Log out</button>
      </form>
    </main>
  )
}
