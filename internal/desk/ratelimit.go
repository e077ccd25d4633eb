package desk

// Request rates, in requests per second: the bounds every rate setting
// shares (the --token-rate and --widget-rate flags, a token's own
// rate_limit), so a mistyped extra zero is refused instead of switching a
// limit off, and a zero or negative one never locks every client out.
const (
	MinRate = 1
	MaxRate = 100_000
	// MaxBurst bounds the burst flags: twice the highest rate, the burst a
	// token at MaxRate gets.
	MaxBurst = 2 * MaxRate
)

// TokenBurst is how many requests a token with its own rate limit may make
// at once: two seconds' worth, like the default's 100/s with 200 at once.
func TokenBurst(rate int) int { return 2 * rate }

// CheckTokenRate validates a token's own rate_limit; nil (the server's
// default) is always valid.
func CheckTokenRate(rate *int) error {
	if rate != nil && (*rate < MinRate || *rate > MaxRate) {
		return Invalid("rate_limit", "must be between %d and %d requests a second, or null for the server's default", MinRate, MaxRate).
			WithDetail("min", MinRate).WithDetail("max", MaxRate)
	}
	return nil
}
