package cgroups

import (
	"fmt"
	"strconv"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// setIOV2 writes linux.resources.blockIO on cgroup v2 like runc: the weight
// goes to io.bfq.weight when BFQ offers it (same 10-1000 scale), else to
// io.weight converted to 1-10000; per-device weights need BFQ with
// per-device support (Linux 5.4+) and are otherwise ignored with a
// warning; throttles become io.max lines "MAJ:MIN <key>=<rate>" (rbps,
// wbps, riops, wiops). Leaf weights do not exist on v2 (warning).
func setIOV2(u *unifiedCgroup, b *specs.LinuxBlockIO) error {
	field := blockIOField(b)
	if field == "" {
		return nil
	}
	if weightSet(b.LeafWeight) {
		warnField("blockIO.leafWeight", "ignored: cgroup v2 has no leaf weights")
	}
	// Delegate io before looking for BFQ: a cgroup has no io.bfq.weight
	// until its parent enables io, and a missing file means "no BFQ".
	if err := u.enable("io"); err != nil {
		return fieldErrorf(field, "%w", err)
	}
	bfq := bfqState(u.dir)
	if err := setIOWeightV2(u, b.Weight, bfq); err != nil {
		return err
	}
	if err := setIOWeightDevicesV2(u, b.WeightDevice, bfq); err != nil {
		return err
	}
	return setIOMaxV2(u, b)
}

// bfqSupport says what the cgroup's io.bfq.weight offers.
type bfqSupport struct {
	present   bool // BFQ is available: weights go to io.bfq.weight
	perDevice bool // it also takes "MAJ:MIN weight" lines
}

// bfqState reads io.bfq.weight: kernels with per-device weights show
// "default N" (plus device lines), older ones a bare number.
func bfqState(dir string) bfqSupport {
	text, err := readCgroupFile(dir, "io.bfq.weight")
	if err != nil {
		return bfqSupport{}
	}
	_, perr := strconv.ParseUint(strings.TrimSpace(text), 10, 64)
	return bfqSupport{present: true, perDevice: perr != nil}
}

func setIOWeightV2(u *unifiedCgroup, w *uint16, bfq bfqSupport) error {
	if !weightSet(w) {
		return nil
	}
	if bfq.present {
		return u.write("blockIO.weight", "io.bfq.weight", strconv.FormatUint(uint64(*w), 10))
	}
	return u.write("blockIO.weight", "io.weight", strconv.FormatUint(blkioWeightToIOWeight(*w), 10))
}

func setIOWeightDevicesV2(u *unifiedCgroup, devices []specs.LinuxWeightDevice, bfq bfqSupport) error {
	for i, wd := range devices {
		field := indexed("blockIO.weightDevice", i)
		if weightSet(wd.LeafWeight) {
			warnField(field+".leafWeight", "ignored: cgroup v2 has no leaf weights")
		}
		if !weightSet(wd.Weight) {
			continue
		}
		if !bfq.perDevice {
			warnField(field+".weight", "ignored: io.bfq.weight without per-device weights on this host")
			continue
		}
		if err := u.write(field+".weight", "io.bfq.weight", deviceWeight(wd.LinuxBlockIODevice, *wd.Weight)); err != nil {
			return err
		}
	}
	return nil
}

// setIOMaxV2 writes one io.max line per throttle entry, as runc does;
// io.max keeps the other keys of a device unchanged.
func setIOMaxV2(u *unifiedCgroup, b *specs.LinuxBlockIO) error {
	for _, t := range throttleLists(b) {
		for i, td := range t.devices {
			line := fmt.Sprintf("%d:%d %s=%d", td.Major, td.Minor, t.v2Key, td.Rate)
			if err := u.write(indexed(t.field, i), "io.max", line); err != nil {
				return err
			}
		}
	}
	return nil
}
