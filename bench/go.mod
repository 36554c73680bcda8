module github.com/cookieseal/cookieseal/bench

go 1.26.0

replace github.com/cookieseal/cookieseal => ../

require (
	github.com/cookieseal/cookieseal v0.0.0-00010101000000-000000000000
	github.com/gorilla/securecookie v1.1.2
	github.com/gorilla/sessions v1.4.0
	github.com/klauspost/compress v1.20.4
	golang.org/x/crypto v0.59.0
)

require golang.org/x/sys v0.50.0 // indirect
