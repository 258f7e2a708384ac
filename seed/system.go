package seed

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/kazooauth"
)

// seedSystem writes system_auth/{kid} with private_key.pem and
// system_config/auth naming it and holding the signature secret. A server
// that has both already keeps them: the system secret and key are one per
// KAZOO, shared by every seed in it (changing them would revoke every
// token minted before).
func seedSystem(ctx context.Context, c *couch.Client, k *KAZOO, ids ids, opts Options) error {
	if ok, err := loadSystem(ctx, c, k); err != nil || ok {
		return err
	}
	k.KeyID = ids.id("system key")
	k.SystemSecret = ids.secret("system")
	key, err := storedKey(ctx, c, k.KeyID)
	if err != nil {
		return err
	}
	switch {
	case key != nil:
	case opts.Key != nil:
		key = opts.Key
	default:
		if key, err = rsa.GenerateKey(randReader, 2048); err != nil {
			return fmt.Errorf("generating signing key: %w", err)
		}
	}
	k.Key = key
	if err := putOrKeep(ctx, c, couch.SystemAuthDB, couch.Doc{
		"_id": k.KeyID, "pvt_type": "system_key", "pvt_vsn": "1",
	}); err != nil {
		return err
	}
	keyDoc, err := c.Get(ctx, couch.SystemAuthDB, k.KeyID)
	if err != nil {
		return err
	}
	rev, _ := keyDoc["_rev"].(string)
	if _, err := c.PutAttachment(ctx, couch.SystemAuthDB, k.KeyID, rev, "private_key.pem",
		"application/x-pem-file", kazooauth.MarshalPrivateKeyPEM(key)); err != nil {
		return err
	}
	// Create, never overwrite: when another seed won the race, use its
	// system instead.
	_, err = c.Put(ctx, couch.SystemConfigDB, couch.Doc{
		"_id": "auth",
		"default": map[string]any{
			"system_key":                    k.KeyID,
			"secret_for_user_signature":     k.SystemSecret,
			"default_multi_factor_provider": "duo",
		},
	})
	if errors.Is(err, couch.ErrConflict) {
		if ok, err := loadSystem(ctx, c, k); err != nil || !ok {
			return fmt.Errorf("system_config/auth: %w", errors.Join(err, couch.ErrConflict))
		}
		return nil
	}
	return err
}

// loadSystem reads an existing system_config/auth and its key.
func loadSystem(ctx context.Context, c *couch.Client, k *KAZOO) (bool, error) {
	doc, err := c.Get(ctx, couch.SystemConfigDB, "auth")
	if errors.Is(err, couch.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	def, _ := doc["default"].(map[string]any)
	k.KeyID, _ = def["system_key"].(string)
	k.SystemSecret, _ = def["secret_for_user_signature"].(string)
	key, err := storedKey(ctx, c, k.KeyID)
	if err != nil || key == nil {
		return false, err
	}
	k.Key = key
	return true, nil
}

func storedKey(ctx context.Context, c *couch.Client, kid string) (*rsa.PrivateKey, error) {
	pem, err := c.SigningKeyPEM(ctx, kid)
	if errors.Is(err, couch.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return kazooauth.ParsePrivateKeyPEM(pem)
}
