package ui

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"

	"github.com/duo-kazoo/duo-kazoo/i18n"
	"github.com/duo-kazoo/duo-kazoo/metadata"
)

// errUnknownType means an embedded file has an extension Handler does not
// know how to label.
var errUnknownType = errors.New("unknown file type")

// contentTypes labels the served files by extension.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".json": "application/json; charset=utf-8",
	".png":  "image/png",
	".txt":  "text/plain; charset=utf-8",
}

// asset is one file as served: its bytes, type and validator.
type asset struct {
	body        []byte
	contentType string
	etag        string
}

func (a *asset) reader() *bytes.Reader { return bytes.NewReader(a.body) }

// site is the standalone app: every asset, by URL path without the
// leading slash, read once from the binary.
type site struct {
	assets map[string]*asset
}

// mount maps a URL prefix onto a directory of an embedded file system.
type mount struct {
	prefix string
	fsys   fs.FS
	dir    string
}

func newSite() (*site, error) {
	bundle := i18n.Default()
	s := &site{assets: make(map[string]*asset)}
	mounts := []mount{
		{"core/", content, "app/core"},
		{"style/", content, "app/style"},
		{"js/", content, "standalone/js"},
		{"css/", content, "standalone/css"},
		{"vendor/", content, "standalone/vendor"},
		{"gen/", content, "standalone/gen"},
		{"i18n/", bundle.FS(), "."},
	}
	for _, m := range mounts {
		if err := s.addDir(m); err != nil {
			return nil, err
		}
	}

	page, err := fs.ReadFile(content, "standalone/index.html")
	if err != nil {
		return nil, fmt.Errorf("reading page: %w", err)
	}
	index, err := json.Marshal(map[string]any{
		"languages": bundle.Languages(),
		"default":   i18n.DefaultLanguage,
	})
	if err != nil {
		return nil, fmt.Errorf("encoding language index: %w", err)
	}
	for name, body := range map[string][]byte{
		"index.html":      page,
		"i18n/index.json": index,
		"icon.png":        metadata.Icon(),
	} {
		if err := s.add(name, body); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// addDir adds every file under m.dir, served under m.prefix.
func (s *site) addDir(m mount) error {
	return fs.WalkDir(m.fsys, m.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(m.fsys, p)
		if err != nil {
			return fmt.Errorf("reading %s: %w", p, err)
		}
		rel := p
		if m.dir != "." {
			rel = p[len(m.dir)+1:]
		}
		return s.add(m.prefix+rel, body)
	})
}

func (s *site) add(name string, body []byte) error {
	ctype, ok := contentTypes[path.Ext(name)]
	if !ok {
		return fmt.Errorf("serving %s: %w", name, errUnknownType)
	}
	sum := sha256.Sum256(body)
	s.assets[name] = &asset{
		body:        body,
		contentType: ctype,
		etag:        `"` + hex.EncodeToString(sum[:16]) + `"`,
	}
	return nil
}
