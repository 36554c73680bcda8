//go:build cookieseal_register

package gorillastore_test

import "github.com/cookieseal/cookieseal"

// FlashMessage, which gorilla's TestFlashes registers with gob, registered
// with cookieseal too. Waits on cookieseal.Register (helper H1v).
func init() { cookieseal.Register("sessions.FlashMessage", FlashMessage{}) }
