// Command mutate is a small mutation-testing driver for the session-layer
// core (chunk.go and http.go, MUTATION.md). It makes the mutants that
// gremlins v0.6.0 makes with its default mutators (CONDITIONALS_BOUNDARY,
// CONDITIONALS_NEGATION, ARITHMETIC_BASE, INCREMENT_DECREMENT,
// INVERT_NEGATIVES), found the way gremlins finds them (the operator token
// of every binary, unary and inc/dec node, one mutant per kind that applies,
// so a "-" gives both an INVERT_NEGATIVES and an ARITHMETIC_BASE mutant),
// but it tests every one, including those gremlins' coverage map calls "not
// covered" (the conditions of a switch's cases), and it leaves the source
// tree untouched: each mutant is a copy of the file given to
// "go test -overlay", so that two run side by side.
//
// Usage, from the module root:
//
//	go run ./tools/mutate [-list] [-workers 2] [-timeout 120s] [-only file:line:col,...] [-run regexp] chunk.go http.go
//
// It prints one line per mutant (KILLED, LIVED, NOT VIABLE when the mutant
// does not compile, TIMED OUT, ERROR when the file changed on disk during
// the run) and the totals, and exits 1 when a mutant lived or erred. Edit
// nothing in the package while it runs: the tests are compiled from disk. The tests are the package's ("go test -count=1 -failfast .",
// narrowed by -run if given).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// kinds maps an operator to the mutant kinds gremlins v0.6.0 makes of it by
// default (internal/engine/mappings.go), in its order.
var kinds = map[token.Token][]string{
	token.ADD: {"ARITHMETIC_BASE"},
	token.SUB: {"INVERT_NEGATIVES", "ARITHMETIC_BASE"},
	token.MUL: {"ARITHMETIC_BASE"},
	token.QUO: {"ARITHMETIC_BASE"},
	token.REM: {"ARITHMETIC_BASE"},
	token.INC: {"INCREMENT_DECREMENT"},
	token.DEC: {"INCREMENT_DECREMENT"},
	token.EQL: {"CONDITIONALS_NEGATION"},
	token.NEQ: {"CONDITIONALS_NEGATION"},
	token.LSS: {"CONDITIONALS_BOUNDARY", "CONDITIONALS_NEGATION"},
	token.LEQ: {"CONDITIONALS_BOUNDARY", "CONDITIONALS_NEGATION"},
	token.GTR: {"CONDITIONALS_BOUNDARY", "CONDITIONALS_NEGATION"},
	token.GEQ: {"CONDITIONALS_BOUNDARY", "CONDITIONALS_NEGATION"},
}

// mutations maps a kind and an operator to the operator that replaces it.
var mutations = map[string]map[token.Token]token.Token{
	"ARITHMETIC_BASE":       {token.ADD: token.SUB, token.SUB: token.ADD, token.MUL: token.QUO, token.QUO: token.MUL, token.REM: token.MUL},
	"INVERT_NEGATIVES":      {token.SUB: token.ADD},
	"INCREMENT_DECREMENT":   {token.INC: token.DEC, token.DEC: token.INC},
	"CONDITIONALS_BOUNDARY": {token.LSS: token.LEQ, token.LEQ: token.LSS, token.GTR: token.GEQ, token.GEQ: token.GTR},
	"CONDITIONALS_NEGATION": {token.EQL: token.NEQ, token.NEQ: token.EQL, token.LSS: token.GEQ, token.LEQ: token.GTR, token.GTR: token.LEQ, token.GEQ: token.LSS},
}

type mutant struct {
	file      string
	src       []byte // the file as it was when the mutants were found
	pos       token.Position
	offset    int
	from, to  token.Token
	kind      string
	status    string
	testError string
}

func (m *mutant) id() string { return fmt.Sprintf("%s:%d:%d", m.file, m.pos.Line, m.pos.Column) }

func main() {
	workers := flag.Int("workers", 2, "mutants tested at once")
	timeout := flag.Duration("timeout", 120*time.Second, "time allowed to build and test one mutant")
	only := flag.String("only", "", "comma-separated file:line:col positions to test (default: all)")
	run := flag.String("run", "", "go test -run regexp (default: every test of the package)")
	list := flag.Bool("list", false, "list the mutants and test none")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: go run ./tools/mutate [flags] file.go ...")
		os.Exit(2)
	}
	want := map[string]bool{}
	for _, p := range strings.Split(*only, ",") {
		if p != "" {
			want[p] = true
		}
	}
	var all []*mutant
	for _, file := range flag.Args() {
		ms, err := find(file)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		for _, m := range ms {
			if len(want) == 0 || want[m.id()] {
				all = append(all, m)
			}
		}
	}
	if *list {
		for _, m := range all {
			fmt.Printf("%-22s %s  %s -> %s\n", m.kind, m.id(), m.from, m.to)
		}
		fmt.Printf("\nmutants %d\n", len(all))
		return
	}
	tmp, err := os.MkdirTemp("", "mutate")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer os.RemoveAll(tmp)

	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for range *workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				m := all[i]
				m.status, m.testError = test(m, tmp, i, *timeout, *run)
				mu.Lock()
				fmt.Printf("%-10s %-22s %s:%d:%d  %s -> %s\n", m.status, m.kind, m.file, m.pos.Line, m.pos.Column, m.from, m.to)
				mu.Unlock()
			}
		}()
	}
	for i := range all {
		jobs <- i
	}
	close(jobs)
	wg.Wait()

	count := map[string]int{}
	for _, m := range all {
		count[m.status]++
	}
	fmt.Printf("\nmutants %d: killed %d, lived %d, not viable %d, timed out %d, errors %d\n",
		len(all), count["KILLED"], count["LIVED"], count["NOT VIABLE"], count["TIMED OUT"], count["ERROR"])
	if count["LIVED"]+count["ERROR"] > 0 {
		fmt.Println("\nlived:")
		for _, m := range all {
			if m.status == "LIVED" || m.status == "ERROR" {
				fmt.Printf("  %s %s %s %s -> %s\n", m.status, m.id(), m.kind, m.from, m.to)
			}
		}
		os.Exit(1)
	}
}

// find returns the mutants of file, in source order.
func find(file string) ([]*mutant, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	var out []*mutant
	ast.Inspect(f, func(n ast.Node) bool {
		var tok token.Token
		var pos token.Pos
		switch n := n.(type) {
		case *ast.BinaryExpr:
			tok, pos = n.Op, n.OpPos
		case *ast.UnaryExpr:
			tok, pos = n.Op, n.OpPos
		case *ast.IncDecStmt:
			tok, pos = n.Tok, n.TokPos
		default:
			return true
		}
		for _, k := range kinds[tok] {
			p := fset.Position(pos)
			out = append(out, &mutant{file: file, src: src, pos: p, offset: p.Offset, from: tok, to: mutations[k][tok], kind: k})
		}
		return true
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].offset < out[j].offset })
	return out, nil
}

// test builds and tests the package with mutant m in place of its file.
func test(m *mutant, tmp string, i int, timeout time.Duration, run string) (status, output string) {
	src := m.src
	if now, err := os.ReadFile(m.file); err != nil || !bytes.Equal(now, src) {
		return "ERROR", m.file + " changed since the mutants were found"
	}
	from := m.from.String()
	if !bytes.HasPrefix(src[m.offset:], []byte(from)) {
		return "ERROR", "operator not found at " + m.id()
	}
	mutated := append(append(append([]byte{}, src[:m.offset]...), m.to.String()...), src[m.offset+len(from):]...)
	dir := filepath.Join(tmp, fmt.Sprint(i))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "ERROR", err.Error()
	}
	abs, err := filepath.Abs(m.file)
	if err != nil {
		return "ERROR", err.Error()
	}
	mfile := filepath.Join(dir, filepath.Base(m.file))
	overlay := filepath.Join(dir, "overlay.json")
	ov, _ := json.Marshal(map[string]map[string]string{"Replace": {abs: mfile}})
	if err := os.WriteFile(mfile, mutated, 0o600); err != nil {
		return "ERROR", err.Error()
	}
	if err := os.WriteFile(overlay, ov, 0o600); err != nil {
		return "ERROR", err.Error()
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	// The test binary stops itself a little before the driver gives up
	// on go test, so that no orphan keeps running.
	args := []string{"test", "-count=1", "-failfast", "-timeout", (timeout * 9 / 10).String(), "-overlay", overlay}
	if run != "" {
		args = append(args, "-run", run)
	}
	cmd := exec.CommandContext(ctx, "go", append(args, ".")...)
	out, err := cmd.CombinedOutput()
	switch {
	case ctx.Err() != nil:
		return "TIMED OUT", string(out)
	case err == nil:
		return "LIVED", string(out)
	case bytes.Contains(out, []byte("[build failed]")) || bytes.Contains(out, []byte("[setup failed]")):
		return "NOT VIABLE", string(out)
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return "ERROR", err.Error()
	}
	return "KILLED", string(out)
}
