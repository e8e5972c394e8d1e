package cgroups

import (
	"fmt"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// throttleList is one of the four linux.resources.blockIO.throttle*
// lists with its field name and the file/key each version writes it to.
type throttleList struct {
	field   string
	v1File  string
	v2Key   string
	devices []specs.LinuxThrottleDevice
}

func throttleLists(b *specs.LinuxBlockIO) []throttleList {
	return []throttleList{
		{"blockIO.throttleReadBpsDevice", "blkio.throttle.read_bps_device", "rbps", b.ThrottleReadBpsDevice},
		{"blockIO.throttleWriteBpsDevice", "blkio.throttle.write_bps_device", "wbps", b.ThrottleWriteBpsDevice},
		{"blockIO.throttleReadIOPSDevice", "blkio.throttle.read_iops_device", "riops", b.ThrottleReadIOPSDevice},
		{"blockIO.throttleWriteIOPSDevice", "blkio.throttle.write_iops_device", "wiops", b.ThrottleWriteIOPSDevice},
	}
}

// blockIOField names the first linux.resources.blockIO field that asks
// for a write, or "".
func blockIOField(b *specs.LinuxBlockIO) string {
	if b == nil {
		return ""
	}
	fields := []named{
		{"blockIO.weight", weightSet(b.Weight)},
		{"blockIO.leafWeight", weightSet(b.LeafWeight)},
		{"blockIO.weightDevice", len(b.WeightDevice) > 0},
	}
	for _, t := range throttleLists(b) {
		fields = append(fields, named{t.field, len(t.devices) > 0})
	}
	return firstSet(fields...)
}

// weightSet: a weight of 0 means unset, as in runc.
func weightSet(w *uint16) bool { return w != nil && *w != 0 }

// validateBlockIO checks the weights are in the blkio range 10-1000 (the
// v2 conversion is only defined there) and device numbers are valid.
func validateBlockIO(b *specs.LinuxBlockIO) error {
	if b == nil {
		return nil
	}
	if err := checkWeight("blockIO.weight", b.Weight); err != nil {
		return err
	}
	if err := checkWeight("blockIO.leafWeight", b.LeafWeight); err != nil {
		return err
	}
	for i, wd := range b.WeightDevice {
		field := indexed("blockIO.weightDevice", i)
		if err := checkBlockDevice(field, wd.LinuxBlockIODevice); err != nil {
			return err
		}
		if err := checkWeight(field+".weight", wd.Weight); err != nil {
			return err
		}
		if err := checkWeight(field+".leafWeight", wd.LeafWeight); err != nil {
			return err
		}
	}
	for _, t := range throttleLists(b) {
		for i, td := range t.devices {
			if err := checkBlockDevice(indexed(t.field, i), td.LinuxBlockIODevice); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkWeight(field string, w *uint16) error {
	if weightSet(w) && (*w < 10 || *w > 1000) {
		return fieldErrorf(field, "%d is out of range 10-1000", *w)
	}
	return nil
}

func checkBlockDevice(field string, d specs.LinuxBlockIODevice) error {
	if d.Major < 0 || d.Minor < 0 {
		return fieldErrorf(field, "device %d:%d: negative major or minor", d.Major, d.Minor)
	}
	return nil
}

func deviceWeight(d specs.LinuxBlockIODevice, w uint16) string {
	return fmt.Sprintf("%d:%d %d", d.Major, d.Minor, w)
}
