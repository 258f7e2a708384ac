# shellcheck shell=bash
# Shared helpers of the project's scripts; source it.

# daemon runs a command in the background in its own session, with every
# inherited descriptor above stderr closed, so a caller reading our output
# through a pipe is not held open by the services we leave running. $! is
# the daemon's pid (it execs the command).
daemon() {
	setsid perl -e 'use POSIX (); POSIX::close($_) for 3 .. 1023; exec @ARGV or die "exec: $!"' \
		"$@" </dev/null &
}
