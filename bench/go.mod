module github.com/cookieseal/cookieseal/bench

go 1.26.0

replace github.com/cookieseal/cookieseal => ../

require (
	aidanwoods.dev/go-paseto v1.6.0
	github.com/bytedance/sonic v1.15.5
	github.com/cookieseal/cookieseal v0.0.0-00010101000000-000000000000
	github.com/go-jose/go-jose/v4 v4.1.9
	github.com/goccy/go-json v0.12.0
	github.com/gorilla/securecookie v1.1.2
	github.com/gorilla/sessions v1.4.0
	github.com/klauspost/compress v1.20.4
	github.com/segmentio/encoding v0.5.4
	golang.org/x/crypto v0.59.0
)

require (
	aidanwoods.dev/go-result v0.3.1 // indirect
	github.com/bytedance/gopkg v0.1.3 // indirect
	github.com/bytedance/sonic/loader v0.5.3 // indirect
	github.com/cloudwego/base64x v0.1.6 // indirect
	github.com/klauspost/cpuid/v2 v2.2.9 // indirect
	github.com/segmentio/asm v1.1.3 // indirect
	github.com/twitchyliquid64/golang-asm v0.15.1 // indirect
	golang.org/x/arch v0.0.0-20210923205945-b76863e36670 // indirect
	golang.org/x/sys v0.50.0 // indirect
)
