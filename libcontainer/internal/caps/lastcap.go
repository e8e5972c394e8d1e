package caps

import (
	"os"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

const (
	lastCapPath    = "/proc/sys/kernel/cap_last_cap"
	defaultLastCap = unix.CAP_CHECKPOINT_RESTORE // 40, the highest cap in our table
)

var lastCap = sync.OnceValue(readLastCap)

// LastCap returns the highest capability number the running kernel knows.
// It reads /proc/sys/kernel/cap_last_cap once; when that is unreadable (no
// /proc yet, odd kernel) it assumes 40 so callers still get a usable bound.
func LastCap() int {
	return lastCap()
}

func readLastCap() int {
	data, err := os.ReadFile(lastCapPath)
	if err != nil {
		return defaultLastCap
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || n < 0 {
		return defaultLastCap
	}
	return n
}
