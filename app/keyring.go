package app

import "github.com/duo-kazoo/duo-kazoo/secrets"

// LoadKeyring returns the keyring a replica built from cfg uses: the keys
// of cfg.SecretKeyFile in cfg.SecretsMode. In plaintext mode without a key
// file it holds one random key that never seals, so values sealed earlier
// cannot be opened (secrets.ErrUnknownKey). The maintenance commands use
// it so that they read and write secrets exactly as the service does.
func LoadKeyring(cfg Config) (*secrets.Keyring, error) { return loadKeyring(cfg) }
