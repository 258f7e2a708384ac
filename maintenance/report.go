package maintenance

import "time"

// Action is what a job did, or in a dry run would do, to one provider
// document.
type Action string

// Actions of a Finding.
const (
	// ActionUnchanged: the document's secrets are already in the form the
	// keyring writes; nothing to do.
	ActionUnchanged Action = "unchanged"
	// ActionSealed: the secrets were rewritten (plaintext sealed, or
	// re-sealed under the primary key) and the document saved.
	ActionSealed Action = "sealed"
	// ActionWouldSeal: ActionSealed in a dry run; nothing was written.
	ActionWouldSeal Action = "would_seal"
	// ActionInvalid: the document breaks validation rules (Problems);
	// Migrate leaves such a document as it is.
	ActionInvalid Action = "invalid"
	// ActionUnreadable: a secret could not be opened (sealed with a key
	// not in the key file, or altered); the document is left as it is.
	ActionUnreadable Action = "unreadable"
	// ActionGone: the document was deleted while the job ran.
	ActionGone Action = "gone"
	// ActionFailed: the document could not be saved (conflicts kept
	// coming back, or the server refused the write).
	ActionFailed Action = "failed"
)

// Finding is what a job found in one provider document. It holds no
// secret and no setting value.
type Finding struct {
	AccountID    string `json:"account_id"`
	DocID        string `json:"id"`
	Name         string `json:"name,omitempty"`
	ProviderName string `json:"provider_name,omitempty"`
	Action       Action `json:"action"`
	// Problems are the validation problems, "path (rule, rule)".
	Problems []string `json:"problems,omitempty"`
	// Error explains ActionUnreadable and ActionFailed.
	Error string `json:"error,omitempty"`
}

// Counts summarise a job so far.
type Counts struct {
	// AccountsTotal estimates the accounts to visit: the document count
	// of the accounts database when the job started.
	AccountsTotal int `json:"accounts_total"`
	// AccountsDone counts the accounts visited.
	AccountsDone int `json:"accounts_done"`
	// MissingDBs counts accounts whose database does not exist.
	MissingDBs int `json:"missing_dbs"`
	// Documents counts the provider documents visited.
	Documents int `json:"documents"`
	// Sealed counts documents written (or, in a dry run, to be written).
	Sealed int `json:"sealed"`
	// Unchanged, Invalid, Unreadable, Gone and Failed count the other
	// actions.
	Unchanged  int `json:"unchanged"`
	Invalid    int `json:"invalid"`
	Unreadable int `json:"unreadable"`
	Gone       int `json:"gone"`
	Failed     int `json:"failed"`
}

// Progress is passed to Options.Progress after every document and every
// account.
type Progress struct {
	Counts
	// Elapsed is the time since the job started.
	Elapsed time.Duration
}

// ETA estimates the time left from the accounts done so far; zero until
// one account is done or when the total is unknown.
func (p Progress) ETA() time.Duration {
	if p.AccountsDone == 0 || p.AccountsTotal <= p.AccountsDone {
		return 0
	}
	per := p.Elapsed / time.Duration(p.AccountsDone)
	return per * time.Duration(p.AccountsTotal-p.AccountsDone)
}

// Report is the outcome of a job.
type Report struct {
	Job    string `json:"job"`
	DryRun bool   `json:"dry_run"`
	// Complete is true when every account was visited.
	Complete bool `json:"complete"`
	Counts
	// MissingAccountDBs lists the accounts whose database does not exist.
	MissingAccountDBs []string `json:"missing_account_dbs,omitempty"`
	// Findings lists every provider document visited, in visiting order.
	Findings []Finding     `json:"findings"`
	Elapsed  time.Duration `json:"elapsed_ns"`
}

func (r *Report) add(f Finding) {
	r.Findings = append(r.Findings, f)
	r.Documents++
	switch f.Action {
	case ActionSealed, ActionWouldSeal:
		r.Sealed++
	case ActionUnchanged:
		r.Unchanged++
	case ActionInvalid:
		r.Invalid++
	case ActionUnreadable:
		r.Unreadable++
	case ActionGone:
		r.Gone++
	case ActionFailed:
		r.Failed++
	}
}

// Problems reports whether some documents were left unprocessed: invalid,
// unreadable or failed.
func (r *Report) Problems() bool {
	return r.Invalid+r.Unreadable+r.Failed > 0
}
