// The proxy (Next 16's name for middleware.ts): reads the session before
// every page, saves a due refresh or re-issue, and tells the page who asked
// in a response header.
import { NextResponse } from 'next/server'
import { getProxySession } from 'cookieseal/next'
import { sessionConfig } from './lib/session.js'

export function proxy(request) {
  const response = NextResponse.next()
  const session = getProxySession(request, response, sessionConfig())
  response.headers.set('x-cookieseal-user', session.data?.user ?? 'nobody')
  session.save()
  return response
}

export const config = { matcher: ['/', '/api/:path*'] }
