module github.com/cookieseal/cookieseal/e2e

go 1.26.0

require (
	github.com/chromedp/cdproto v0.159.3
	github.com/chromedp/chromedp v0.23.0
	github.com/cookieseal/cookieseal v0.0.0
	github.com/cookieseal/cookieseal/redisrevoke v0.0.0
	github.com/redis/go-redis/v9 v9.20.1
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
	go.uber.org/atomic v1.11.0 // indirect
	golang.org/x/crypto v0.59.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)

replace github.com/cookieseal/cookieseal => ../

replace github.com/cookieseal/cookieseal/redisrevoke => ../redisrevoke
