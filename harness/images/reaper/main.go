// Command reaper removes a test session's containers, networks and volumes once its clients are gone.
//
// It speaks the protocol testcontainers uses with its Ryuk reaper: clients connect to TCP port 8080
// and send lines such as "label=org.testcontainers.session-id=abc" (several filters may be joined
// with "&"); each line is answered with "ACK". While at least one client stays connected nothing
// happens. When the last one disconnects and none reconnects within RYUK_RECONNECTION_TIMEOUT, or
// when nobody connects within RYUK_CONNECTION_TIMEOUT, every resource matching a registered filter is
// removed and the reaper exits. It talks to the Docker API over /var/run/docker.sock with the
// standard library only.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"
)

type reaper struct {
	mu        sync.Mutex
	filters   map[string]url.Values
	clients   int
	idleTimer *time.Timer
	docker    *http.Client
	self      string
	done      chan struct{}
	doneOnce  sync.Once
}

func main() {
	reconnect := durationFromEnv("RYUK_RECONNECTION_TIMEOUT", 10*time.Second)
	firstConnect := durationFromEnv("RYUK_CONNECTION_TIMEOUT", 60*time.Second)
	socket := os.Getenv("DOCKER_SOCKET")
	if socket == "" {
		socket = "/var/run/docker.sock"
	}
	hostname, _ := os.Hostname()
	r := &reaper{
		filters: map[string]url.Values{},
		docker: &http.Client{Transport: &http.Transport{
			DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
				return (&net.Dialer{}).DialContext(ctx, "unix", socket)
			},
		}},
		self: hostname,
		done: make(chan struct{}),
	}
	listener, err := net.Listen("tcp", ":8080")
	if err != nil {
		log.Fatalf("listen on :8080: %v", err)
	}
	r.idleTimer = time.AfterFunc(firstConnect, r.finish)
	go r.accept(listener, reconnect)
	log.Printf("Started: reconnection timeout %s, connection timeout %s", reconnect, firstConnect)
	<-r.done
	r.prune()
}

func durationFromEnv(name string, fallback time.Duration) time.Duration {
	if value, err := time.ParseDuration(os.Getenv(name)); err == nil && value > 0 {
		return value
	}
	return fallback
}

func (r *reaper) accept(listener net.Listener, reconnect time.Duration) {
	for {
		conn, err := listener.Accept()
		if err != nil {
			log.Printf("accept: %v", err)
			continue
		}
		r.mu.Lock()
		r.clients++
		r.idleTimer.Stop()
		r.mu.Unlock()
		go func() {
			r.serve(conn)
			r.mu.Lock()
			r.clients--
			if r.clients == 0 {
				r.idleTimer = time.AfterFunc(reconnect, r.finish)
			}
			r.mu.Unlock()
		}()
	}
}

func (r *reaper) serve(conn net.Conn) {
	defer conn.Close()
	lines := bufio.NewScanner(conn)
	for lines.Scan() {
		line := strings.TrimSpace(lines.Text())
		if line == "" {
			continue
		}
		query, err := url.ParseQuery(line)
		if err != nil {
			log.Printf("bad filter %q: %v", line, err)
			fmt.Fprint(conn, "ERR\n")
			continue
		}
		r.mu.Lock()
		r.filters[line] = query
		r.mu.Unlock()
		log.Printf("registered filter %s", line)
		fmt.Fprint(conn, "ACK\n")
	}
}

func (r *reaper) finish() { r.doneOnce.Do(func() { close(r.done) }) }

// prune removes containers first, because networks and volumes in use cannot be removed.
func (r *reaper) prune() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for line, query := range r.filters {
		filter := dockerFilter(query)
		r.removeAll("/containers/json?all=1&filters="+filter, "Id", "/containers/%s?force=1&v=1")
		r.removeAll("/networks?filters="+filter, "Id", "/networks/%s")
		r.removeAll("/volumes?filters="+filter, "Name", "/volumes/%s?force=1")
		log.Printf("pruned %s", line)
	}
}

func dockerFilter(query url.Values) string {
	encoded, _ := json.Marshal(map[string][]string(query))
	return url.QueryEscape(string(encoded))
}

func (r *reaper) removeAll(listPath, idField, removePath string) {
	body, err := r.call(http.MethodGet, listPath)
	if err != nil {
		log.Printf("list %s: %v", listPath, err)
		return
	}
	var items []map[string]json.RawMessage
	if strings.HasPrefix(listPath, "/volumes") {
		var wrapped struct{ Volumes []map[string]json.RawMessage }
		err = json.Unmarshal(body, &wrapped)
		items = wrapped.Volumes
	} else {
		err = json.Unmarshal(body, &items)
	}
	if err != nil {
		log.Printf("decode %s: %v", listPath, err)
		return
	}
	for _, item := range items {
		var id string
		if json.Unmarshal(item[idField], &id) != nil || id == "" || strings.HasPrefix(id, r.self) {
			continue
		}
		if _, err := r.call(http.MethodDelete, fmt.Sprintf(removePath, id)); err != nil {
			log.Printf("remove %s: %v", id, err)
		}
	}
}

func (r *reaper) call(method, path string) ([]byte, error) {
	request, err := http.NewRequest(method, "http://docker"+path, nil)
	if err != nil {
		return nil, err
	}
	response, err := r.docker.Do(request)
	if err != nil {
		return nil, err
	}
	defer response.Body.Close()
	body, err := io.ReadAll(response.Body)
	if response.StatusCode >= 300 && response.StatusCode != http.StatusNotFound {
		return nil, fmt.Errorf("%s %s: %s %s", method, path, response.Status, strings.TrimSpace(string(body)))
	}
	return body, err
}
