package cgroups

import (
	"fmt"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// blkioWeightFiles picks the weight files like runc 1.1: the CFQ files
// (blkio.weight, blkio.weight_device) when present, else BFQ's
// (blkio.bfq.weight, blkio.bfq.weight_device), which take the same
// 10-1000 scale. runc does not skip a weight when neither exists: the
// write fails. Here it fails naming blkio.weight, the file the spec field
// is documented against.
func blkioWeightFiles(dir string) (weight, weightDevice string) {
	if !fileExists(dir, "blkio.weight") && fileExists(dir, "blkio.bfq.weight") {
		return "blkio.bfq.weight", "blkio.bfq.weight_device"
	}
	return "blkio.weight", "blkio.weight_device"
}

// setBlkioV1 writes linux.resources.blockIO on the v1 blkio controller.
// Leaf weights only exist with CFQ (removed in Linux 5.0): asking for one
// on a newer kernel is an error, as with runc.
func setBlkioV1(dir string, b *specs.LinuxBlockIO) error {
	if b == nil {
		return nil
	}
	weightFile, weightDeviceFile := blkioWeightFiles(dir)
	if weightSet(b.Weight) {
		if err := writeField("blockIO.weight", dir, weightFile, fmt.Sprint(*b.Weight)); err != nil {
			return err
		}
	}
	if weightSet(b.LeafWeight) {
		if err := writeField("blockIO.leafWeight", dir, "blkio.leaf_weight", fmt.Sprint(*b.LeafWeight)); err != nil {
			return err
		}
	}
	if err := setWeightDevicesV1(dir, weightDeviceFile, b.WeightDevice); err != nil {
		return err
	}
	return setThrottlesV1(dir, b)
}

func setWeightDevicesV1(dir, weightDeviceFile string, devices []specs.LinuxWeightDevice) error {
	for i, wd := range devices {
		field := indexed("blockIO.weightDevice", i)
		if weightSet(wd.Weight) {
			if err := writeField(field+".weight", dir, weightDeviceFile, deviceWeight(wd.LinuxBlockIODevice, *wd.Weight)); err != nil {
				return err
			}
		}
		if weightSet(wd.LeafWeight) {
			if err := writeField(field+".leafWeight", dir, "blkio.leaf_weight_device", deviceWeight(wd.LinuxBlockIODevice, *wd.LeafWeight)); err != nil {
				return err
			}
		}
	}
	return nil
}

// setThrottlesV1 writes "major:minor rate" lines; a rate of 0 removes
// the device's limit.
func setThrottlesV1(dir string, b *specs.LinuxBlockIO) error {
	for _, t := range throttleLists(b) {
		for i, td := range t.devices {
			line := fmt.Sprintf("%d:%d %d", td.Major, td.Minor, td.Rate)
			if err := writeField(indexed(t.field, i), dir, t.v1File, line); err != nil {
				return err
			}
		}
	}
	return nil
}
