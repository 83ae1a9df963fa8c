module etcd-harness.local/reaper

go 1.23
