package gorillastore_test

import "github.com/cookieseal/cookieseal"

// FlashMessage, which gorilla's TestFlashes registers with gob, registered
// with cookieseal too.
func init() { cookieseal.Register("sessions.FlashMessage", FlashMessage{}) }
