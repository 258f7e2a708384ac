package maintenance

import "errors"

// Errors returned by this package, wrapped with context; test with
// errors.Is.
var (
	// ErrInterrupted: the context was cancelled before the walk finished.
	// The report covers what was done; rerunning continues the job.
	ErrInterrupted = errors.New("maintenance: interrupted")
	// ErrPlaintextMode: RotateKey was given a Plaintext-mode keyring;
	// rotation re-encrypts and needs Encrypted mode.
	ErrPlaintextMode = errors.New("maintenance: key rotation needs encrypted mode")
	// ErrNoPrimaryKey: the keyring holds no key to seal with.
	ErrNoPrimaryKey = errors.New("maintenance: the keyring holds no key")
	// ErrDesignNotInstalled: no completed migration of this version's
	// design docs is recorded (see DesignStatus).
	ErrDesignNotInstalled = errors.New("maintenance: design docs not installed; " +
		"run duo-kazoo migrate")
	// ErrIncomplete: the walk finished but some documents could not be
	// processed (unreadable, invalid or failed); the report lists them.
	ErrIncomplete = errors.New("maintenance: some documents were not processed")
)
