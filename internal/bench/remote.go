package bench

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
)

// remoteFlags point the realtime and ceiling runs at a server that is
// already running instead of a node of their own.
func remoteFlags(fs *flag.FlagSet, c *fanoutConfig) {
	fs.StringVar(&c.token, "token", "", "with -url: an API token of the channel's bot (env RELEVO_BENCH_TOKEN); its rate limit must allow -rate")
	fs.StringVar(&c.supervisorEmail, "supervisor-email", "", "with -url and -supervisors: the supervisor every supervisor socket logs in as (same password)")
	serverFlags(fs, c, "an API channel")
}

// serverFlags name a running server, the channel the messages go to and
// the agent the sockets log in as.
func serverFlags(fs *flag.FlagSet, c *fanoutConfig, channel string) {
	fs.StringVar(&c.url, "url", "", "a running Relevo server (http://host:port) instead of a node of the bench's own")
	fs.StringVar(&c.channel, "channel", "", "with -url: the id of "+channel+"; its bot should hand over at once (no flow), so agents see the messages")
	fs.StringVar(&c.email, "email", "", "with -url: the agent every socket logs in as (a member of the channel's bot)")
	fs.StringVar(&c.password, "password", "", "with -url: that agent's password (env RELEVO_BENCH_PASSWORD)")
}

func (c *fanoutConfig) checkRemote() error {
	if c.url == "" {
		return nil
	}
	// Secrets are better kept out of the process list.
	if c.token == "" {
		c.token = os.Getenv("RELEVO_BENCH_TOKEN")
	}
	if c.password == "" {
		c.password = os.Getenv("RELEVO_BENCH_PASSWORD")
	}
	if c.token == "" || c.channel == "" || c.email == "" || c.password == "" {
		return errors.New("-url needs -token, -channel, -email and -password")
	}
	if c.supervisors > 0 && c.supervisorEmail == "" {
		return errors.New("-url with -supervisors needs -supervisor-email")
	}
	if c.databaseURL != "" {
		return errors.New("-url and -database-url exclude each other: the server has its own database")
	}
	return nil
}

// remoteFanout runs the fan-out against c.url: the messages go to new
// contacts of the channel (one conversation each, -conversations of them,
// named for this run), the sockets all log in as c.email.
func remoteFanout(ctx context.Context, c fanoutConfig) (fanoutResult, error) {
	raiseFileLimit(uint64(2*c.sockets + 1000))
	emails := make([]string, c.sockets)
	for i := range emails {
		emails[i] = c.email
	}
	sups := make([]string, c.supervisors)
	for i := range sups {
		sups[i] = c.supervisorEmail
	}
	run := uniq()
	contacts := make([]string, c.conversations)
	for i := range contacts {
		contacts[i] = run + "-contact-" + strconv.Itoa(i)
	}
	return runFanout(ctx, fanoutTarget{name: fmt.Sprintf("relevo at %s", c.url), base: c.url, channelID: c.channel,
		api: apiClients(c.url, []string{c.token}, c.senders), emails: emails, contacts: contacts, password: c.password, supEmails: sups}, c)
}
