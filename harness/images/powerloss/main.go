// Command powerloss-fs runs a command (etcd) on a FUSE file system that keeps every file's writes in
// memory until the file is fsynced, as a disk's volatile cache does: killing it (SIGKILL, a pulled
// plug) loses whatever was written and not yet fsynced. File data is what it holds back; creating,
// renaming, removing, truncating and preallocating reach the backing folder at once.
//
//	powerloss-fs <backing folder> <mount point> <control address> -- <command> [args...]
//
// GET http://<control address>/pending tells how many files and bytes it holds unsynced. A command
// that exits by itself, or a SIGTERM it forwards, ends in a clean shutdown: what is held is written.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
)

type extent struct {
	off  int64
	data []byte
}

// node is a loopback node that holds its file's unsynced writes.
type node struct {
	fs.LoopbackNode
	mu      sync.Mutex
	pending []extent
	// end is the size the pending writes give the file (0 when none extend it).
	end int64
}

var (
	held   sync.Mutex
	holder = map[*node]struct{}{}
)

func (n *node) backingPath() string {
	return filepath.Join(n.RootData.Path, n.Path(n.Root()))
}

func (n *node) hold(data []byte, off int64) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.pending = append(n.pending, extent{off: off, data: append([]byte(nil), data...)})
	if off+int64(len(data)) > n.end {
		n.end = off + int64(len(data))
	}
	held.Lock()
	holder[n] = struct{}{}
	held.Unlock()
}

// writeBack writes what the node holds to the backing file, fsyncing it when asked.
func (n *node) writeBack(sync bool) syscall.Errno {
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.pending) > 0 {
		f, err := os.OpenFile(n.backingPath(), os.O_WRONLY, 0)
		if err != nil {
			return fs.ToErrno(err)
		}
		defer f.Close()
		for _, e := range n.pending {
			if _, err := f.WriteAt(e.data, e.off); err != nil {
				return fs.ToErrno(err)
			}
		}
		n.pending, n.end = nil, 0
		held.Lock()
		delete(holder, n)
		held.Unlock()
		if sync {
			return fs.ToErrno(f.Sync())
		}
		return 0
	}
	if sync {
		f, err := os.Open(n.backingPath())
		if err != nil {
			return fs.ToErrno(err)
		}
		defer f.Close()
		return fs.ToErrno(f.Sync())
	}
	return 0
}

// trim drops held bytes past a new size.
func (n *node) trim(size int64) {
	n.mu.Lock()
	defer n.mu.Unlock()
	kept := n.pending[:0]
	for _, e := range n.pending {
		if e.off >= size {
			continue
		}
		if e.off+int64(len(e.data)) > size {
			e.data = e.data[:size-e.off]
		}
		kept = append(kept, e)
	}
	n.pending = kept
	if n.end > size {
		n.end = size
	}
}

func (n *node) size(backing int64) int64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.end > backing {
		return n.end
	}
	return backing
}

func (n *node) read(f *os.File, buf []byte, off int64) (int, syscall.Errno) {
	var st syscall.Stat_t
	if err := syscall.Fstat(int(f.Fd()), &st); err != nil {
		return 0, fs.ToErrno(err)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	size := st.Size
	if n.end > size {
		size = n.end
	}
	if off >= size {
		return 0, 0
	}
	want := int64(len(buf))
	if off+want > size {
		want = size - off
	}
	got, err := f.ReadAt(buf[:want], off)
	if err != nil && err != io.EOF {
		return 0, fs.ToErrno(err)
	}
	clear(buf[got:want])
	for _, e := range n.pending {
		from, to := max(e.off, off), min(e.off+int64(len(e.data)), off+want)
		if from < to {
			copy(buf[from-off:to-off], e.data[from-e.off:to-e.off])
		}
	}
	return int(want), 0
}

var _ = (fs.NodeOpener)((*node)(nil))
var _ = (fs.NodeCreater)((*node)(nil))
var _ = (fs.NodeGetattrer)((*node)(nil))
var _ = (fs.NodeSetattrer)((*node)(nil))
var _ = (fs.NodeStatxer)((*node)(nil))

func (n *node) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	f, err := os.OpenFile(n.backingPath(), int(flags&^(syscall.O_APPEND|fuse.FMODE_EXEC|syscall.O_CREAT|syscall.O_EXCL)), 0)
	if err != nil {
		return nil, 0, fs.ToErrno(err)
	}
	if flags&syscall.O_TRUNC != 0 {
		n.trim(0)
	}
	return &file{node: n, f: f}, 0, 0
}

func (n *node) Create(ctx context.Context, name string, flags uint32, mode uint32, out *fuse.EntryOut) (*fs.Inode, fs.FileHandle, uint32, syscall.Errno) {
	child, fh, _, errno := n.LoopbackNode.Create(ctx, name, flags, mode, out)
	if errno != 0 {
		return nil, nil, 0, errno
	}
	if releaser, ok := fh.(fs.FileReleaser); ok {
		releaser.Release(ctx)
	}
	created := child.Operations().(*node)
	// The new inode joins the tree only when Create returns, so its path comes from its parent.
	f, err := os.OpenFile(filepath.Join(n.backingPath(), name), int(flags&^(syscall.O_APPEND|syscall.O_CREAT|syscall.O_EXCL|syscall.O_TRUNC)), 0)
	if err != nil {
		return nil, nil, 0, fs.ToErrno(err)
	}
	return child, &file{node: created, f: f}, 0, 0
}

func (n *node) Getattr(ctx context.Context, f fs.FileHandle, out *fuse.AttrOut) syscall.Errno {
	if errno := n.LoopbackNode.Getattr(ctx, nil, out); errno != 0 {
		return errno
	}
	out.Size = uint64(n.size(int64(out.Size)))
	return 0
}

func (n *node) Statx(ctx context.Context, f fs.FileHandle, flags uint32, mask uint32, out *fuse.StatxOut) syscall.Errno {
	if errno := n.LoopbackNode.Statx(ctx, nil, flags, mask, out); errno != 0 {
		return errno
	}
	out.Size = uint64(n.size(int64(out.Size)))
	return 0
}

func (n *node) Setattr(ctx context.Context, f fs.FileHandle, in *fuse.SetAttrIn, out *fuse.AttrOut) syscall.Errno {
	if size, ok := in.GetSize(); ok {
		n.trim(int64(size))
	}
	if errno := n.LoopbackNode.Setattr(ctx, nil, in, out); errno != 0 {
		return errno
	}
	out.Size = uint64(n.size(int64(out.Size)))
	return 0
}

// file is an open file: reads see the node's held writes, writes are held, fsync writes them back.
type file struct {
	node *node
	f    *os.File
}

var _ = (fs.FileReader)((*file)(nil))
var _ = (fs.FileWriter)((*file)(nil))
var _ = (fs.FileFsyncer)((*file)(nil))
var _ = (fs.FileFlusher)((*file)(nil))
var _ = (fs.FileReleaser)((*file)(nil))
var _ = (fs.FileAllocater)((*file)(nil))

func (h *file) Read(ctx context.Context, buf []byte, off int64) (fuse.ReadResult, syscall.Errno) {
	n, errno := h.node.read(h.f, buf, off)
	if errno != 0 {
		return nil, errno
	}
	return fuse.ReadResultData(buf[:n]), 0
}

func (h *file) Write(ctx context.Context, data []byte, off int64) (uint32, syscall.Errno) {
	h.node.hold(data, off)
	return uint32(len(data)), 0
}

func (h *file) Fsync(ctx context.Context, flags uint32) syscall.Errno {
	return h.node.writeBack(true)
}

// Flush is close(2): a disk cache keeps what it holds.
func (h *file) Flush(ctx context.Context) syscall.Errno { return 0 }

func (h *file) Release(ctx context.Context) syscall.Errno {
	return fs.ToErrno(h.f.Close())
}

func (h *file) Allocate(ctx context.Context, off uint64, size uint64, mode uint32) syscall.Errno {
	return fs.ToErrno(syscall.Fallocate(int(h.f.Fd()), mode, int64(off), int64(size)))
}

// heldNodes are the nodes holding unsynced writes now.
func heldNodes() []*node {
	held.Lock()
	defer held.Unlock()
	nodes := make([]*node, 0, len(holder))
	for n := range holder {
		nodes = append(nodes, n)
	}
	return nodes
}

func pendingNow() (files int, bytes int) {
	for _, n := range heldNodes() {
		n.mu.Lock()
		if len(n.pending) > 0 {
			files++
		}
		for _, e := range n.pending {
			bytes += len(e.data)
		}
		n.mu.Unlock()
	}
	return files, bytes
}

func writeBackAll() {
	for _, n := range heldNodes() {
		n.writeBack(true)
	}
}

// closeOnExec marks every descriptor open on `target` close-on-exec.
func closeOnExec(target string) {
	entries, _ := os.ReadDir("/proc/self/fd")
	for _, entry := range entries {
		if link, err := os.Readlink(filepath.Join("/proc/self/fd", entry.Name())); err == nil && link == target {
			var fd int
			if _, err := fmt.Sscanf(entry.Name(), "%d", &fd); err == nil {
				syscall.CloseOnExec(fd)
			}
		}
	}
}

func main() {
	if len(os.Args) < 6 || os.Args[4] != "--" {
		fmt.Fprintln(os.Stderr, "usage: powerloss-fs <backing folder> <mount point> <control address> -- <command> [args...]")
		os.Exit(64)
	}
	backing, mountPoint, control, command := os.Args[1], os.Args[2], os.Args[3], os.Args[5:]
	for _, dir := range []string{backing, mountPoint} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			fmt.Fprintf(os.Stderr, "powerloss-fs: %v\n", err)
			os.Exit(71)
		}
	}
	var st syscall.Stat_t
	if err := syscall.Stat(backing, &st); err != nil {
		fmt.Fprintf(os.Stderr, "powerloss-fs: %v\n", err)
		os.Exit(71)
	}
	root := &fs.LoopbackRoot{Path: backing, Dev: uint64(st.Dev)}
	root.NewNode = func(rootData *fs.LoopbackRoot, parent *fs.Inode, name string, st *syscall.Stat_t) fs.InodeEmbedder {
		return &node{LoopbackNode: fs.LoopbackNode{RootData: rootData}}
	}
	root.RootNode = root.NewNode(root, nil, "", &st)
	zero := time.Duration(0)
	server, err := fs.Mount(mountPoint, root.RootNode, &fs.Options{
		EntryTimeout:    &zero,
		AttrTimeout:     &zero,
		NegativeTimeout: &zero,
		MountOptions:    fuse.MountOptions{DirectMountStrict: true, AllowOther: true, FsName: "powerloss-fs", Name: "powerloss"},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "powerloss-fs: mounting %s over %s: %v\n", mountPoint, backing, err)
		os.Exit(71)
	}
	fmt.Fprintf(os.Stderr, "powerloss-fs: %s mounted over %s; writes held until fsync\n", mountPoint, backing)
	// The command must not inherit the FUSE device: holding it, a killed file system's requests would
	// never be aborted, and the command would wait on them forever.
	closeOnExec("/dev/fuse")

	http.HandleFunc("/pending", func(w http.ResponseWriter, r *http.Request) {
		files, bytes := pendingNow()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]int{"files": files, "bytes": bytes})
	})
	go func() {
		if err := http.ListenAndServe(control, nil); err != nil {
			fmt.Fprintf(os.Stderr, "powerloss-fs: control %s: %v\n", control, err)
		}
	}()

	child := exec.Command(command[0], command[1:]...)
	child.Stdout, child.Stderr = os.Stdout, os.Stderr
	if err := child.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "powerloss-fs: starting %s: %v\n", command[0], err)
		server.Unmount()
		os.Exit(71)
	}
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGQUIT)
	go func() {
		for s := range signals {
			child.Process.Signal(s)
		}
	}()
	waitErr := child.Wait()
	code := 0
	if exit, ok := waitErr.(*exec.ExitError); ok {
		if status, ok := exit.Sys().(syscall.WaitStatus); ok && status.Signaled() {
			code = 128 + int(status.Signal())
		} else {
			code = exit.ExitCode()
		}
	}
	// A clean shutdown: the cache is written back before the disk stops.
	writeBackAll()
	server.Unmount()
	os.Exit(code)
}
