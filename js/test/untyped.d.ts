// Test-only packages without bundled types (no @types dependency for them).
declare module 'express'
declare module 'cookie-session'
