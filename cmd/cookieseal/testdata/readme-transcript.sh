#!/usr/bin/env bash
# Prints the transcript in the CLI guide (docs/cli.md). Run from the repository's root with
# cookieseal on PATH and COOKIESEAL_SECRETS unset. The files it writes are removed at exit.
set -u
trap 'rm -f cookie.txt secrets.txt' EXIT
p() { printf '$ %s\n' "$1"; eval "$1"; }
p 'export COOKIESEAL_SECRETS="$(cookieseal keygen)"'
p 'echo '"'"'{"user":"alice","cart":[3,7]}'"'"' | cookieseal seal -name session > cookie.txt'
p 'cat cookie.txt'
p 'cookieseal open -name session -v < cookie.txt'
p 'cookieseal open -name other < cookie.txt; echo "exit $?"'
p 'cookieseal open "session=$(cat cookie.txt)"  # as the browser shows it: NAME=VALUE'
p 'cookieseal inspect -name session < cookie.txt'
p '(umask 077; printf "%s\n%s\n" "$(cookieseal keygen)" "$COOKIESEAL_SECRETS" > secrets.txt)  # rotate: new first'
p 'cookieseal open -name session -secrets-file secrets.txt -v < cookie.txt'
p 'COOKIESEAL_SECRETS="$(cookieseal keygen)" cookieseal open -name session < cookie.txt; echo "exit $?"'
p 'cookieseal inspect < cmd/cookieseal/testdata/flask-session.txt'
