package cgroups

import (
	"testing"
)

func TestCPUSharesToWeight(t *testing.T) {
	for _, tc := range []struct{ shares, weight uint64 }{
		{0, 0}, // unset
		{1, 1}, // clamped to 2, no underflow
		{2, 1},
		{512, 20},
		{1024, 39}, // v1 default
		{262144, 10000},
		{1 << 20, 10000}, // clamped to the maximum
	} {
		if got := cpuSharesToWeight(tc.shares); got != tc.weight {
			t.Errorf("cpuSharesToWeight(%d) = %d, want %d", tc.shares, got, tc.weight)
		}
	}
}

func TestBlkioWeightToIOWeight(t *testing.T) {
	for _, tc := range []struct {
		blkio uint16
		io    uint64
	}{{0, 0}, {10, 1}, {100, 910}, {500, 4950}, {1000, 10000}} {
		if got := blkioWeightToIOWeight(tc.blkio); got != tc.io {
			t.Errorf("blkioWeightToIOWeight(%d) = %d, want %d", tc.blkio, got, tc.io)
		}
	}
}

func TestMemorySwapToV2(t *testing.T) {
	for _, tc := range []struct {
		swap, memory, want int64
		err                string
	}{
		{0, 0, 0, ""},
		{0, 100, 0, ""},
		{0, -1, -1, ""}, // unlimited memory, swap unset: swap unlimited
		{-1, 100, -1, ""},
		{300, 100, 200, ""},
		{100, 100, 0, ""}, // no swap
		{300, 0, 0, "needs a memory limit"},
		{300, -1, 0, "needs a memory limit"},
		{50, 100, 0, "must be >= memory limit"},
		{300, -5, 0, "invalid memory limit"},
	} {
		got, err := memorySwapToV2(tc.swap, tc.memory)
		if tc.err != "" {
			wantErr(t, err, tc.err)
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("memorySwapToV2(%d, %d) = %d, %v; want %d", tc.swap, tc.memory, got, err, tc.want)
		}
	}
}

func TestV2ValueRendering(t *testing.T) {
	for _, tc := range []struct {
		v    int64
		want string
	}{{0, ""}, {-1, "max"}, {4096, "4096"}} {
		if got := v2Number(tc.v); got != tc.want {
			t.Errorf("v2Number(%d) = %q, want %q", tc.v, got, tc.want)
		}
	}
	for _, tc := range []struct {
		v    int64
		want string
	}{{-1, "max"}, {50, "50"}} {
		if got := pidsValue(tc.v); got != tc.want {
			t.Errorf("pidsValue(%d) = %q, want %q", tc.v, got, tc.want)
		}
	}
	for _, tc := range []struct {
		quota  int64
		period uint64
		want   string
	}{{50000, 100000, "50000 100000"}, {-1, 100000, "max 100000"}, {0, 20000, "max 20000"}, {30000, 0, "30000"}} {
		if got := cpuMaxValue(tc.quota, tc.period); got != tc.want {
			t.Errorf("cpuMaxValue(%d, %d) = %q, want %q", tc.quota, tc.period, got, tc.want)
		}
	}
}
