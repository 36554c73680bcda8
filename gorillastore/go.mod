module github.com/cookieseal/cookieseal/gorillastore

go 1.24.0

require (
	github.com/cookieseal/cookieseal v0.0.0
	github.com/gorilla/securecookie v1.1.2
	github.com/gorilla/sessions v1.4.0
	github.com/stretchr/testify v1.12.1
)

require (
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/crypto v0.48.0 // indirect
	golang.org/x/sys v0.41.0 // indirect
)

replace github.com/cookieseal/cookieseal => ../
