package mfa_test

import (
	"bufio"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/duosim"
)

// The pending-push benchmark runs the simulator in a child process (this
// test binary, re-executed with simChildEnv set), so that the memory it
// measures is the service's alone.

const simChildEnv = "DUO_KAZOO_MFA_SIM_CHILD"

// Users of the child simulator.
const (
	childPending  = "pending"  // Manual: pushes wait for an answer
	childApprover = "approver" // Approve
)

// externalSim is a simulator running elsewhere.
type externalSim struct {
	host  string
	roots *x509.CertPool
	cmd   *exec.Cmd
	in    io.WriteCloser
	out   *bufio.Scanner
}

type childHello struct {
	Host string `json:"host"`
	CA   string `json:"ca"`
}

// runSimChild is the child's main: it serves the simulator, announces its
// host and CA on stdout, answers "answer USER" lines from stdin with the
// number of pushes answered and "pending" lines with the number of pushes
// started and of first status polls answered "waiting", and stops when
// stdin closes.
func runSimChild() int {
	sim := duosim.New(duosim.Options{PushTimeout: time.Hour, StatusHold: 30 * time.Second})
	sim.AddIntegration(simIKey, simSKey)
	sim.SetUser(childPending, duosim.User{Behavior: duosim.Manual})
	sim.SetUser(childApprover, duosim.User{Behavior: duosim.Approve})
	if err := sim.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = sim.Close() }()
	hello, _ := json.Marshal(childHello{Host: sim.Host(), CA: string(sim.CACertPEM())})
	fmt.Println(string(hello))

	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		if user, ok := strings.CutPrefix(in.Text(), "answer "); ok {
			fmt.Println(sim.Answer(user, true))
		}
		if in.Text() == "pending" {
			started, waiting := 0, 0
			for _, r := range sim.Requests() {
				switch {
				case r.Path == "/auth/v2/auth" && r.Outcome == "txid":
					started++
				case r.Path == "/auth/v2/auth_status" && strings.HasPrefix(r.Outcome, "waiting/"):
					waiting++
				}
			}
			fmt.Println(started, waiting)
		}
	}
	return 0
}

// startSimChild starts the child simulator; it is stopped at cleanup.
func startSimChild(t testing.TB) *externalSim {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), simChildEnv+"=1")
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the simulator process: %v", err)
	}
	s := &externalSim{cmd: cmd, in: in, out: bufio.NewScanner(stdout)}
	t.Cleanup(s.stop)

	var hello childHello
	if !s.out.Scan() || json.Unmarshal(s.out.Bytes(), &hello) != nil {
		t.Fatalf("the simulator process did not announce itself: %v", s.out.Err())
	}
	s.host, s.roots = hello.Host, x509.NewCertPool()
	if !s.roots.AppendCertsFromPEM([]byte(hello.CA)) {
		t.Fatal("the simulator process sent no CA")
	}
	return s
}

// answer approves every pending push of user and returns how many.
func (s *externalSim) answer(t testing.TB, user string) int {
	t.Helper()
	if _, err := fmt.Fprintf(s.in, "answer %s\n", user); err != nil {
		t.Fatal(err)
	}
	if !s.out.Scan() {
		t.Fatalf("the simulator process did not answer: %v", s.out.Err())
	}
	n, _ := strconv.Atoi(s.out.Text())
	return n
}

// pending returns how many pushes were started and how many status polls
// answered "waiting".
func (s *externalSim) pending(t testing.TB) (started, waiting int) {
	t.Helper()
	if _, err := fmt.Fprintln(s.in, "pending"); err != nil {
		t.Fatal(err)
	}
	if !s.out.Scan() {
		t.Fatalf("the simulator process did not answer: %v", s.out.Err())
	}
	if _, err := fmt.Sscan(s.out.Text(), &started, &waiting); err != nil {
		t.Fatalf("bad answer %q: %v", s.out.Text(), err)
	}
	return started, waiting
}

func (s *externalSim) stop() {
	_ = s.in.Close()
	done := make(chan struct{})
	go func() {
		_ = s.cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}
