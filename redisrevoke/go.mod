module github.com/cookieseal/cookieseal/redisrevoke

go 1.24.0

require (
	github.com/cookieseal/cookieseal v0.0.0
	github.com/redis/go-redis/v9 v9.20.1
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	go.uber.org/atomic v1.11.0 // indirect
	golang.org/x/crypto v0.48.0 // indirect
	golang.org/x/sys v0.41.0 // indirect
)

replace github.com/cookieseal/cookieseal => ../
