module github.com/cookieseal/cookieseal/bench

go 1.26.0

replace github.com/cookieseal/cookieseal => ../

require (
	aidanwoods.dev/go-paseto v1.6.0
	github.com/cookieseal/cookieseal v0.0.0-00010101000000-000000000000
	github.com/go-jose/go-jose/v4 v4.1.9
	github.com/gorilla/securecookie v1.1.2
	github.com/gorilla/sessions v1.4.0
	github.com/klauspost/compress v1.20.4
	golang.org/x/crypto v0.59.0
)

require (
	aidanwoods.dev/go-result v0.3.1 // indirect
	golang.org/x/sys v0.50.0 // indirect
)
