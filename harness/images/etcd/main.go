// Command etcd is the etcd server of the pinned release, built from etcd's Go modules by `npm run setup`.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
