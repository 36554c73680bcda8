module github.com/cookieseal/cookieseal

go 1.26.0

require (
	github.com/gorilla/securecookie v1.1.2
	golang.org/x/crypto v0.59.0
)

require golang.org/x/sys v0.50.0 // indirect
