package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// runningPeer runs the commands of one process.
type runningPeer struct {
	opts     *options
	mode     peerMode
	mu       sync.Mutex
	running  map[interface{}]context.CancelFunc
	commands sync.WaitGroup
	stopOnce sync.Once
}

func newRunningPeer(opts *options, mode peerMode) *runningPeer {
	return &runningPeer{opts: opts, mode: mode, running: map[interface{}]context.CancelFunc{}}
}

func (p *runningPeer) addrs() []string { return p.mode.addrs() }

type command struct {
	Cmd      string      `json:"cmd"`
	ID       interface{} `json:"id,omitempty"`
	Addr     string      `json:"addr"`
	Protocol string      `json:"protocol"`
	Bytes    *float64    `json:"bytes"`
	Chunk    *float64    `json:"chunk"`
	Seed     *float64    `json:"seed"`
	Window   *float64    `json:"window"`
	Oversize bool        `json:"oversize"`
	Target   interface{} `json:"target"`
	Peer     string      `json:"peer"`
}

// runCommands reads JSON lines until EOF (the controlling process went away), then stops.
func runCommands(in io.Reader, p *runningPeer) {
	scanner := bufio.NewScanner(in)
	scanner.Buffer(make([]byte, 64*1024), 1024*1024)
	for scanner.Scan() {
		line := scanner.Bytes()
		if len(line) == 0 {
			continue
		}
		var cmd command
		if err := json.Unmarshal(line, &cmd); err != nil {
			emit(event{"event": "error", "fatal": false, "origin": "command", "error": "SyntaxError: bad command line: " + err.Error()})
			continue
		}
		p.handle(cmd)
	}
	p.stop(0)
}

func (p *runningPeer) reply(cmd command, fields event) {
	e := merge(event{"event": "result", "cmd": cmd.Cmd}, fields)
	if cmd.ID != nil {
		e["id"] = cmd.ID
	}
	emit(e)
}

func (p *runningPeer) handle(cmd command) {
	switch cmd.Cmd {
	case "dial-echo":
		ctx, cancel := context.WithCancel(context.Background())
		var key interface{} = cmd.ID
		if key == nil {
			key = new(int)
		}
		if !p.register(key, cancel) {
			cancel()
			p.reply(cmd, event{"ok": false, "error": errorText(errAborted)})
			return
		}
		go func() {
			defer p.commands.Done()
			defer p.unregister(key)
			defer cancel()
			p.dialEcho(ctx, cmd)
		}()
	case "abort":
		p.mu.Lock()
		cancel, ok := p.running[cmd.Target]
		p.mu.Unlock()
		if ok {
			cancel()
		}
		p.reply(cmd, event{"ok": ok})
	case "hang-up":
		if err := p.mode.hangUp(cmd.Peer); err != nil {
			p.reply(cmd, event{"ok": false, "error": errorText(err)})
		} else {
			p.reply(cmd, event{"ok": true})
		}
	case "secret-stats":
		p.reply(cmd, merge(event{"ok": true}, stats.snapshot()))
	case "stop":
		p.stop(0)
	default:
		p.reply(cmd, event{"ok": false, "error": fmt.Sprintf("UnknownCommand: %q", cmd.Cmd)})
	}
}

// register: false once stopping (no new work then).
func (p *runningPeer) register(key interface{}, cancel context.CancelFunc) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.running == nil {
		return false
	}
	p.running[key] = cancel
	p.commands.Add(1)
	return true
}

func (p *runningPeer) unregister(key interface{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.running != nil {
		delete(p.running, key)
	}
}

func number(v *float64, fallback int, name string, min int) (int, error) {
	if v == nil {
		return fallback, nil
	}
	n := int(*v)
	if float64(n) != *v || n < min {
		return 0, fmt.Errorf("%s must be an integer >= %d, got %v", name, min, *v)
	}
	return n, nil
}

func (p *runningPeer) dialEcho(ctx context.Context, cmd command) {
	fields, err := p.runDialEcho(ctx, cmd)
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w: %v", errAborted, err)
		}
		logf("dial-echo failed: %v", err)
		p.reply(cmd, merge(fields, event{"ok": false, "error": errorText(err)}))
		return
	}
	p.reply(cmd, merge(fields, event{"ok": true}))
}

func (p *runningPeer) runDialEcho(ctx context.Context, cmd command) (event, error) {
	if cmd.Addr == "" {
		return event{}, fmt.Errorf(`dial-echo needs "addr"`)
	}
	total, err := number(cmd.Bytes, 0, "bytes", 0)
	if err != nil {
		return event{}, err
	}
	chunk, err := number(cmd.Chunk, defaultChunk, "chunk", 1)
	if err != nil {
		return event{}, err
	}
	seed, err := number(cmd.Seed, 1, "seed", 0)
	if err != nil {
		return event{}, err
	}
	window, err := number(cmd.Window, defaultWindow, "window", 1)
	if err != nil {
		return event{}, err
	}
	protocol := cmd.Protocol
	if protocol == "" {
		protocol = p.opts.protocol
	}
	started := time.Now()
	fields, err := p.mode.dialEcho(ctx, cmd.Addr, protocol, echoRequest{total: total, chunk: chunk, seed: uint32(seed), window: window}, cmd.Oversize)
	if err != nil {
		return fields, err
	}
	return merge(fields, event{"bytes": total, "ms": time.Since(started).Milliseconds()}), nil
}

// stop ends every command and session, says "stopped", and exits.
func (p *runningPeer) stop(code int) {
	p.stopOnce.Do(func() {
		timer := time.AfterFunc(5*time.Second, func() {
			logf("stop took longer than 5 s; exiting anyway")
			os.Exit(1)
		})
		p.mu.Lock()
		for _, cancel := range p.running {
			cancel()
		}
		p.running = nil
		p.mu.Unlock()
		p.mode.close()
		p.commands.Wait()
		timer.Stop()
		emit(event{"event": "stopped", "secretStats": stats.snapshot()})
		os.Exit(code)
	})
}
