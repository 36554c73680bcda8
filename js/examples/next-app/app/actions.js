'use server'
// Server Actions: they may write cookies, so they save the session.
import { cookies } from 'next/headers'
import { redirect } from 'next/navigation'
import { getSession } from 'cookieseal/next'
import { sessionConfig } from '../lib/session.js'

export async function login(formData) {
  const user = String(formData.get('user') ?? '').trim()
  if (!user) redirect('/')
  const session = getSession(await cookies(), sessionConfig())
  session.regenerate({ user }) // a new session: createdAt = issuedAt = now
  session.save()
  redirect('/')
}

export async function logout() {
  const session = getSession(await cookies(), sessionConfig())
  session.destroy()
  session.save()
  redirect('/')
}
