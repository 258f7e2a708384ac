package amqp

import (
	"math/rand/v2"
	"time"
)

// Backoff computes capped exponential delays with jitter: attempt n waits a
// random duration in [d/2, d], where d = Initial * 2^n capped at Max.
type Backoff struct {
	// Initial is the base delay of the first attempt.
	Initial time.Duration
	// Max caps the delay.
	Max time.Duration
}

// Delay returns the delay before retry number attempt (0 for the first).
// A zero or negative Initial gives 0; a Max below Initial means no growth.
func (b Backoff) Delay(attempt int) time.Duration {
	if b.Initial <= 0 {
		return 0
	}
	limit := max(b.Max, b.Initial)
	d := b.Initial
	for i := 0; i < attempt && d < limit; i++ {
		if d > limit/2 {
			d = limit
			break
		}
		d *= 2
	}
	d = min(d, limit)
	half := d / 2
	return half + rand.N(d-half+1)
}

func (b Backoff) orDefault(def Backoff) Backoff {
	if b.Initial <= 0 {
		b.Initial = def.Initial
	}
	if b.Max <= 0 {
		b.Max = def.Max
	}
	if b.Max < b.Initial {
		b.Max = b.Initial
	}
	return b
}
