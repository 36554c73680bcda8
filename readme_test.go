package cookieseal_test

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The README tells the story once; the guides in docs/ hold the rest.
const readmeMaxLines = 250

func TestReadmeUnder250Lines(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "\n"); n >= readmeMaxLines {
		t.Fatalf("README.md has %d lines; it must have fewer than %d (move detail into docs/)", n, readmeMaxLines)
	}
}

// docFiles are the documents whose Go snippets TestDocSnippets checks.
func docFiles(t *testing.T) []string {
	files, err := filepath.Glob(filepath.Join("docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{"README.md"}, files...)
}

var snippetMarker = regexp.MustCompile(`^<!-- snippet: (\S+\.go) -->$`)

// goBlock is one ```go block of a document.
type goBlock struct {
	doc    string
	line   int    // of the opening fence, 1-based
	source string // the file the marker names, "" when there is no marker
	lines  []string
}

// goBlocks returns every ```go block of doc, with the marker on the line
// before its fence.
func goBlocks(t *testing.T, doc string) []goBlock {
	b, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	var blocks []goBlock
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "```go" {
			continue
		}
		blk := goBlock{doc: doc, line: i + 1}
		if i > 0 {
			if m := snippetMarker.FindStringSubmatch(strings.TrimSpace(lines[i-1])); m != nil {
				blk.source = m[1]
			}
		}
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			blk.lines = append(blk.lines, lines[i])
		}
		if i == len(lines) {
			t.Fatalf("%s:%d: a ```go block that never closes", doc, blk.line)
		}
		blocks = append(blocks, blk)
	}
	return blocks
}

// normalizeGo drops each line's indentation, and empty lines.
func normalizeGo(lines []string) []string {
	var out []string
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// indexRun returns the index in hay, at or after from, where needle appears
// as consecutive lines, or -1.
func indexRun(hay, needle []string, from int) int {
	for i := from; i+len(needle) <= len(hay); i++ {
		match := true
		for j := range needle {
			if hay[i+j] != needle[j] {
				match = false
				break
			}
		}
		if match {
			return i
		}
	}
	return -1
}

// snippetElision is the line that stands, in a snippet, for lines of its
// source left out.
const snippetElision = "// ..."

// checkSnippet returns "" when the snippet's lines (indentation and empty
// lines aside) appear in its source file as they are, its pieces between
// elision lines in order; otherwise what is wrong.
func checkSnippet(blk goBlock) string {
	if blk.source == "" {
		return "no <!-- snippet: FILE.go --> marker on the line before the fence (name the compiled file that holds this code)"
	}
	src, err := os.ReadFile(filepath.FromSlash(blk.source))
	if err != nil {
		return "its marker names a file that cannot be read: " + err.Error()
	}
	hay := normalizeGo(strings.Split(string(src), "\n"))
	var pieces [][]string
	var cur []string
	for _, l := range normalizeGo(blk.lines) {
		if l == snippetElision {
			pieces = append(pieces, cur)
			cur = nil
			continue
		}
		cur = append(cur, l)
	}
	pieces = append(pieces, cur)
	at := 0
	for k, p := range pieces {
		if len(p) == 0 {
			return "an empty snippet, or an elision at its start, end or twice in a row"
		}
		i := indexRun(hay, p, at)
		if i < 0 {
			return "piece " + string(rune('1'+k)) + " of it is not in " + blk.source + " (after the previous piece), line for line"
		}
		at = i + len(p)
	}
	return ""
}

// TestDocSnippets: every Go snippet of the README and of docs/ is code that
// is compiled: its marker names the file (an example, a test or a program,
// which CI builds) that holds the same lines, indentation aside, and the
// test checks that they are there. A line "// ..." in a snippet stands for
// lines of the source left out.
func TestDocSnippets(t *testing.T) {
	total := 0
	for _, doc := range docFiles(t) {
		for _, blk := range goBlocks(t, doc) {
			total++
			if msg := checkSnippet(blk); msg != "" {
				t.Errorf("%s:%d: %s", blk.doc, blk.line, msg)
			}
		}
	}
	if total == 0 {
		t.Fatal("no ```go block found in README.md and docs/*.md")
	}
}

// The check refuses a snippet that is changed, reordered or unmarked.
func TestDocSnippetsCheckFails(t *testing.T) {
	src := "example_docs_test.go"
	good := goBlock{source: src, lines: []string{
		"codec, err := cookieseal.New(cookieseal.Config{",
		"\tSecrets:     secrets,",
		"// ...",
		"_ = codec",
	}}
	if msg := checkSnippet(good); msg != "" {
		t.Fatalf("a faithful snippet is refused: %s", msg)
	}
	for name, blk := range map[string]goBlock{
		"changed":   {source: src, lines: []string{"codec, err := cookieseal.New(cookieseal.Config{", "\tSecrets:   secrets,"}},
		"reordered": {source: src, lines: []string{"_ = codec", "// ...", "codec, err := cookieseal.New(cookieseal.Config{"}},
		"unmarked":  {lines: []string{"_ = codec"}},
		"no file":   {source: "nonexistent_test.go", lines: []string{"_ = codec"}},
		"elided":    {source: src, lines: []string{"// ...", "_ = codec"}},
	} {
		if checkSnippet(blk) == "" {
			t.Errorf("%s: a snippet that is not in its source passes", name)
		}
	}
}

// readmeInstallBlock returns the lines of the sh block that follows the
// README's "<!-- install: before publication -->" marker.
func readmeInstallBlock(t *testing.T) []string {
	f, err := os.Open("README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	state := 0 // 0: before the marker, 1: before the fence, 2: in the block
	var lines []string
	for sc.Scan() {
		l := sc.Text()
		switch {
		case state == 0 && l == "<!-- install: before publication -->":
			state = 1
		case state == 1:
			if l != "```sh" {
				t.Fatalf("README.md: the install marker is not followed by a ```sh fence but %q", l)
			}
			state = 2
		case state == 2 && l == "```":
			return lines
		case state == 2:
			lines = append(lines, l)
		}
	}
	t.Fatal("README.md has no complete sh block after <!-- install: before publication -->")
	return nil
}

// The program the install test builds in the fresh module: it imports the
// root module and a nested one, as the README's replace lines allow.
const installProgram = `package main

import (
	"fmt"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/gorillastore"
)

func main() {
	cfg := cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}}
	codec, err := cookieseal.New(cfg)
	if err != nil {
		panic(err)
	}
	v, err := codec.Encode("session", "hello")
	if err != nil {
		panic(err)
	}
	var s string
	if err := codec.Decode("session", v, &s); err != nil {
		panic(err)
	}
	if _, err := gorillastore.NewFromConfig(cfg); err != nil {
		panic(err)
	}
	fmt.Println("opened:", s)
}
`

// TestReadmeInstall runs the README's install commands before publication,
// as written, in a fresh module beside a "clone" that is this checkout, then
// builds and runs a program that imports cookieseal and gorillastore. It
// needs the module proxy (for golang.org/x/crypto and gorilla), so it runs
// only with COOKIESEAL_README_INSTALL=1 (.ci/run sets it).
func TestReadmeInstall(t *testing.T) {
	if os.Getenv("COOKIESEAL_README_INSTALL") != "1" {
		t.Skip("set COOKIESEAL_README_INSTALL=1 to run the README's install commands (needs the module proxy)")
	}
	for _, tool := range []string{"go", "sh"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not on PATH: %v", tool, err)
		}
	}
	checkout, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	app := filepath.Join(tmp, "app")
	bin := filepath.Join(tmp, "bin")
	for _, d := range []string{app, bin} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	env := append(os.Environ(), "GOBIN="+bin, "GOWORK=off")
	run := func(dir, cmd string) {
		t.Helper()
		c := exec.Command("sh", "-c", cmd)
		c.Dir, c.Env = dir, env
		out, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", cmd, err, out)
		}
	}

	wroteCode, tidied := false, false
	for _, l := range readmeInstallBlock(t) {
		cmd := strings.TrimSpace(l)
		switch {
		case cmd == "":
		case strings.HasPrefix(cmd, "#"):
			// The step where the user writes code that imports the packages.
			if strings.Contains(cmd, "import") {
				if err := os.WriteFile(filepath.Join(app, "main.go"), []byte(installProgram), 0o644); err != nil {
					t.Fatal(err)
				}
				wroteCode = true
			}
		case strings.HasPrefix(cmd, "git clone "):
			// The checkout stands for the clone, where the README puts it.
			if cmd != "git clone https://github.com/cookieseal/cookieseal ../cookieseal" {
				t.Fatalf("the README's clone line changed: %q (update this test)", cmd)
			}
			if err := os.Symlink(checkout, filepath.Join(tmp, "cookieseal")); err != nil {
				t.Fatal(err)
			}
		default:
			if strings.HasPrefix(cmd, "go mod tidy") {
				if !wroteCode {
					t.Fatal("the README runs go mod tidy before the step that imports the packages: tidy would drop the requirement")
				}
				tidied = true
			}
			run(app, l)
		}
	}
	if !wroteCode || !tidied {
		t.Fatalf("the README's install block lacks the import step (%v) or go mod tidy (%v)", wroteCode, tidied)
	}
	mod, err := os.ReadFile(filepath.Join(app, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"github.com/cookieseal/cookieseal v", "github.com/cookieseal/cookieseal/gorillastore v"} {
		if !strings.Contains(string(mod), want) {
			t.Errorf("go.mod after the README's commands does not require %q:\n%s", want, mod)
		}
	}
	c := exec.Command("go", "run", ".")
	c.Dir, c.Env = app, env
	out, err := c.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "opened: hello" {
		t.Fatalf("go run in the fresh module: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(bin, "cookieseal")); err != nil {
		t.Errorf("the README's go install left no cookieseal command: %v", err)
	}
}

// The README's two commands for a new machine: its test command is the one
// .ci/run runs under "the README's command", and the demo it runs exists.
func TestReadmeTwoCommands(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	ci, err := os.ReadFile(filepath.Join(".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\ngo run ./examples/guess ", "\ngo test -race ./... "} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README.md lacks the command %q", strings.TrimSpace(want))
		}
	}
	if !strings.Contains(string(ci), "echo \"== tests (the README's command)\"\ngo test -race ./...\n") {
		t.Error(".ci/run no longer runs the README's test command under its heading")
	}
	if _, err := os.Stat(filepath.Join("examples", "guess", "main.go")); err != nil {
		t.Errorf("the README's demo: %v", err)
	}
}
