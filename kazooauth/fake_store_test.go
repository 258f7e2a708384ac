package kazooauth_test

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/duo-kazoo/duo-kazoo/kazooauth"
)

// fakeStore is an in-memory kazooauth.Store. Documents missing from its
// maps are reported wrapping kazooauth.ErrNotFound (ErrUnknownKey for
// keys), as the contract requires; down makes every call fail otherwise.
type fakeStore struct {
	mu           sync.Mutex
	keys         map[string][]byte // kid -> private_key.pem
	systemSecret string
	accounts     map[string]*fakeAccount
	users        map[string]*fakeUser // accountID + "/" + ownerID
	down         error                // when set, every call fails with it
	keysDown     error                // when set, SigningKeyPEM fails with it
	keyReads     map[string]int       // SigningKeyPEM calls per kid
	currentKID   string               // system_config/auth default.system_key
	currentReads int                  // CurrentKeyID calls

	// When gate is set, SigningKeyPEM sends on entered (if set) and then
	// waits for gate to be closed, so tests can hold a read in flight.
	gate    chan struct{}
	entered chan struct{}
}

type fakeAccount struct {
	tree    []string
	secret  string
	treeErr error // when set, AccountTree fails with it (an invalid doc)
	nilTree bool  // when set, AccountTree answers a nil tree and no error
}

type fakeUser struct {
	secret string
	priv   string
}

var _ kazooauth.Store = (*fakeStore)(nil)

func newFakeStore(systemSecret string) *fakeStore {
	return &fakeStore{
		keys:         make(map[string][]byte),
		systemSecret: systemSecret,
		accounts:     make(map[string]*fakeAccount),
		users:        make(map[string]*fakeUser),
		keyReads:     make(map[string]int),
	}
}

func (s *fakeStore) SigningKeyPEM(_ context.Context, kid string) ([]byte, error) {
	s.mu.Lock()
	gate, entered := s.gate, s.entered
	s.mu.Unlock()
	if gate != nil {
		if entered != nil {
			entered <- struct{}{}
		}
		<-gate
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.keyReads[kid]++
	if s.down != nil {
		return nil, s.down
	}
	if s.keysDown != nil {
		return nil, s.keysDown
	}
	pem, ok := s.keys[kid]
	if !ok {
		return nil, fmt.Errorf("fake: system_auth/%s: %w", kid, kazooauth.ErrUnknownKey)
	}
	return pem, nil
}

func (s *fakeStore) CurrentKeyID(context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.currentReads++
	if s.down != nil {
		return "", s.down
	}
	return s.currentKID, nil
}

func (s *fakeStore) SystemSignatureSecret(context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down != nil {
		return "", s.down
	}
	return s.systemSecret, nil
}

func (s *fakeStore) IdentitySecret(_ context.Context, accountID, ownerID string) (
	string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down != nil {
		return "", s.down
	}
	if ownerID == "" {
		a, ok := s.accounts[accountID]
		if !ok {
			return "", fmt.Errorf("fake: account %s: %w", accountID, kazooauth.ErrNotFound)
		}
		return a.secret, nil
	}
	u, ok := s.users[accountID+"/"+ownerID]
	if !ok {
		return "", fmt.Errorf("fake: user %s: %w", ownerID, kazooauth.ErrNotFound)
	}
	return u.secret, nil
}

func (s *fakeStore) AccountTree(_ context.Context, accountID string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down != nil {
		return nil, s.down
	}
	a, ok := s.accounts[accountID]
	switch {
	case !ok:
		return nil, fmt.Errorf("fake: account %s: %w", accountID, kazooauth.ErrNotFound)
	case a.treeErr != nil:
		return nil, a.treeErr
	case a.nilTree:
		return nil, nil
	}
	return append([]string{}, a.tree...), nil
}

func (s *fakeStore) UserPrivLevel(_ context.Context, accountID, ownerID string) (
	string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down != nil {
		return "", s.down
	}
	u, ok := s.users[accountID+"/"+ownerID]
	if !ok {
		return "", fmt.Errorf("fake: user %s: %w", ownerID, kazooauth.ErrNotFound)
	}
	return u.priv, nil
}

func (s *fakeStore) putKey(kid string, pem []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[kid] = pem
}

func (s *fakeStore) deleteKey(kid string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.keys, kid)
}

func (s *fakeStore) putAccount(id, secret string, tree ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accounts[id] = &fakeAccount{tree: tree, secret: secret}
}

func (s *fakeStore) deleteAccount(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.accounts, id)
}

// breakAccount keeps account id's secret but makes AccountTree answer
// treeErr, or a nil tree without error when treeErr is nil.
func (s *fakeStore) breakAccount(id string, treeErr error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accounts[id]
	a.treeErr, a.nilTree = treeErr, treeErr == nil
}

// putAccountTree stores account id with tree as given, valid or not.
func (s *fakeStore) putAccountTree(id, secret string, tree []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accounts[id] = &fakeAccount{tree: tree, secret: secret}
}

func (s *fakeStore) setCurrentKID(kid string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.currentKID = kid
}

func (s *fakeStore) currentKIDReads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.currentReads
}

func (s *fakeStore) putUser(accountID, ownerID, secret, priv string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[accountID+"/"+ownerID] = &fakeUser{secret: secret, priv: priv}
}

func (s *fakeStore) deleteUser(accountID, ownerID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.users, accountID+"/"+ownerID)
}

func (s *fakeStore) setSystemSecret(secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.systemSecret = secret
}

func (s *fakeStore) setDown(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = err
}

func (s *fakeStore) setKeysDown(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keysDown = err
}

// hold makes the next SigningKeyPEM calls block until the returned
// release is called; entered receives one value per blocked call.
func (s *fakeStore) hold() (entered <-chan struct{}, release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	gate, in := make(chan struct{}), make(chan struct{}, 64)
	s.gate, s.entered = gate, in
	return in, func() {
		s.mu.Lock()
		s.gate, s.entered = nil, nil
		s.mu.Unlock()
		close(gate)
	}
}

func (s *fakeStore) reads(kid string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keyReads[kid]
}

func (s *fakeStore) totalReads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.keyReads {
		n += r
	}
	return n
}

var errStoreDown = errors.New("fake: couch unreachable")
