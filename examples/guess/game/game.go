// Package game is "Guess the number", the Flask demo whose answer anyone
// could read in its session cookie, rebuilt on cookieseal.
//
// The answer travels to the browser and back in the session cookie, but
// sealed: the browser holds random-looking bytes that say only which key
// sealed them. A sealed cookie can still be replayed, so a small in-memory
// ledger counts each game's tries on the server (see Server).
package game

import (
	"crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cookieseal/cookieseal"
)

const (
	// MaxTries is how many guesses a game allows.
	MaxTries = 3
	// Lowest and Highest bound the answer.
	Lowest, Highest = 1, 10
	// CookieName names the session cookie (with "__Host-" before it unless
	// Config.Insecure is set).
	CookieName = "guess"
	// GameLifetime is how long a game stays playable: the cookie's MaxAge
	// and how long the ledger remembers a game.
	GameLifetime = time.Hour
	// MaxGames caps the games the ledger remembers; the oldest go first.
	MaxGames = 100_000
)

// Config configures a Server.
type Config struct {
	// Secrets seal the session cookie; the first seals, every one opens.
	Secrets []string
	// Insecure drops Secure and the __Host- prefix, for plain http on a host
	// other than localhost (see cookieseal.CookieOptions.Insecure).
	Insecure bool
	// Pick returns the answer of a new game. Nil means a uniformly random
	// number from Lowest to Highest; tests set it.
	Pick func() int
}

// session is what the cookie holds. The answer is stored as it is:
// "answer":10 is one byte longer than "answer":7, and cookieseal pads the
// sealed plaintext to a multiple of 32 bytes (SPEC.md section 5.4), so every
// game's cookie has one length whatever its answer.
type session struct {
	Game   string `json:"game"`   // 128-bit random game ID, the ledger's key
	Answer int    `json:"answer"` // 1 to 10
	Tries  int    `json:"tries"`  // wrong guesses so far
	Hint   string `json:"hint"`   // "low" or "high" after a wrong guess
}

// Server serves the game: GET / starts one, GET /guess?guess=N plays a try.
type Server struct {
	cookies *cookieseal.Cookies
	codec   *cookieseal.Codec
	ledger  *ledger
	pick    func() int
	mux     *http.ServeMux
}

// New returns a Server, or an error if cfg.Secrets will not do.
func New(cfg Config) (*Server, error) {
	codec, err := cookieseal.New(cookieseal.Config{
		Secrets: cfg.Secrets,
		MaxAge:  GameLifetime,
		// Compress stays off (the default), so that the cookie's length
		// never depends on the answer.
	})
	if err != nil {
		return nil, err
	}
	cookies, err := cookieseal.NewCookies(codec, cookieseal.CookieOptions{
		HostPrefix: true,
		Insecure:   cfg.Insecure,
		MaxChunks:  1,
	})
	if err != nil {
		return nil, err
	}
	s := &Server{
		cookies: cookies,
		codec:   codec,
		ledger:  newLedger(MaxGames, GameLifetime, time.Now),
		pick:    cfg.Pick,
		mux:     http.NewServeMux(),
	}
	if s.pick == nil {
		s.pick = randomAnswer
	}
	s.mux.HandleFunc("GET /{$}", s.start)
	s.mux.HandleFunc("GET /guess", s.guess)
	return s, nil
}

// ServeHTTP serves the game's pages.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	s.mux.ServeHTTP(w, r)
}

func randomAnswer() int {
	n, err := rand.Int(rand.Reader, big.NewInt(Highest-Lowest+1))
	if err != nil {
		panic(err) // crypto/rand does not fail since Go 1.24
	}
	return Lowest + int(n.Int64())
}

func newGameID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// start begins a new game.
func (s *Server) start(w http.ResponseWriter, r *http.Request) {
	answer := s.pick()
	if answer < Lowest || answer > Highest {
		http.Error(w, "answer out of range", http.StatusInternalServerError)
		return
	}
	sess := session{Game: newGameID(), Answer: answer}
	s.ledger.start(sess.Game)
	if err := s.cookies.Write(w, r, CookieName, sess); err != nil {
		http.Error(w, "could not seal the session", http.StatusInternalServerError)
		return
	}
	s.render(w, http.StatusOK, "guess", page{TriesLeft: MaxTries, Cookie: s.held(w)})
}

// guess plays one try.
func (s *Server) guess(w http.ResponseWriter, r *http.Request) {
	var sess session
	if _, err := s.cookies.Read(r, CookieName, &sess); err != nil {
		// No game, or a cookie this server did not seal: start afresh.
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	n, err := strconv.Atoi(strings.TrimSpace(r.FormValue("guess")))
	if err != nil || n < Lowest || n > Highest {
		s.render(w, http.StatusBadRequest, "guess", page{
			TriesLeft: MaxTries - sess.Tries,
			Hint:      sess.Hint,
			Error:     fmt.Sprintf("Enter a whole number from %d to %d.", Lowest, Highest),
		})
		return
	}
	answer := sess.Answer
	won := n == answer
	over := won || sess.Tries+1 >= MaxTries
	if err := s.ledger.take(sess.Game, sess.Tries, over); err != nil {
		s.render(w, http.StatusConflict, "refused", page{Error: refusals[err]})
		return
	}
	switch {
	case won:
		_ = s.cookies.Delete(w, r, CookieName)
		s.render(w, http.StatusOK, "win", page{Answer: answer, Tries: sess.Tries + 1})
	case over:
		_ = s.cookies.Delete(w, r, CookieName)
		s.render(w, http.StatusOK, "lose", page{Answer: answer, Tries: MaxTries})
	default:
		sess.Tries++
		sess.Hint = "low"
		if n > answer {
			sess.Hint = "high"
		}
		if err := s.cookies.Write(w, r, CookieName, sess); err != nil {
			http.Error(w, "could not seal the session", http.StatusInternalServerError)
			return
		}
		s.render(w, http.StatusOK, "guess", page{TriesLeft: MaxTries - sess.Tries, Hint: sess.Hint, Last: n, Cookie: s.held(w)})
	}
}

// page is what the templates show.
type page struct {
	TriesLeft int
	Tries     int
	Hint      string
	Last      int
	Answer    int
	Error     string
	Cookie    *held
}

// held describes the cookie a response sets: what anyone can read from it
// without the secret.
type held struct {
	Name   string
	Length int
	Header cookieseal.Header
}

// held parses the session cookie that w is about to set.
func (s *Server) held(w http.ResponseWriter) *held {
	for _, line := range w.Header().Values("Set-Cookie") {
		c, err := http.ParseSetCookie(line)
		if err != nil || c.MaxAge < 0 || !strings.HasSuffix(c.Name, CookieName) {
			continue
		}
		h, err := cookieseal.Inspect(c.Value)
		if err != nil {
			return nil
		}
		return &held{Name: c.Name, Length: len(c.Value), Header: h}
	}
	return nil
}

//go:embed pages.html
var pagesFS embed.FS

var pages = template.Must(template.ParseFS(pagesFS, "pages.html"))

func (s *Server) render(w http.ResponseWriter, status int, name string, p page) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	// An error here is a failed write to the client, the templates being
	// fixed and tested; with the header sent there is nothing left to do.
	_ = pages.ExecuteTemplate(w, name, p)
}

// Errors of the ledger.
var (
	errUnknownGame = errors.New("game unknown: the server restarted, or the game is over an hour old")
	errGameOver    = errors.New("game over")
	errReplayed    = errors.New("cookie from an earlier try")
)

// refusals are what the refused page tells the player, by ledger error.
var refusals = map[error]string{
	errUnknownGame: "This game is unknown here: the server restarted, or the game is over an hour old.",
	errGameOver:    "This game is over. A cookie from an earlier try does not bring it back.",
	errReplayed:    "This cookie is from an earlier try of this game. Replaying it does not give you another try.",
}
