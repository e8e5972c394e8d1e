package cgroups

import (
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

func blockIOAll() *specs.LinuxBlockIO {
	dev := func(maj, min int64) specs.LinuxBlockIODevice { return specs.LinuxBlockIODevice{Major: maj, Minor: min} }
	return &specs.LinuxBlockIO{
		Weight:                  ptr[uint16](500),
		WeightDevice:            []specs.LinuxWeightDevice{{LinuxBlockIODevice: dev(8, 0), Weight: ptr[uint16](300)}},
		ThrottleReadBpsDevice:   []specs.LinuxThrottleDevice{{LinuxBlockIODevice: dev(8, 0), Rate: 1000}},
		ThrottleWriteBpsDevice:  []specs.LinuxThrottleDevice{{LinuxBlockIODevice: dev(8, 0), Rate: 2000}},
		ThrottleReadIOPSDevice:  []specs.LinuxThrottleDevice{{LinuxBlockIODevice: dev(8, 16), Rate: 30}},
		ThrottleWriteIOPSDevice: []specs.LinuxThrottleDevice{{LinuxBlockIODevice: dev(8, 16), Rate: 40}},
	}
}

var throttleFilesV1 = []string{"blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device",
	"blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device"}

func TestSetBlkioV1CFQ(t *testing.T) {
	dir := fakeCgroup(t, append(throttleFilesV1, "blkio.weight", "blkio.weight_device", "blkio.leaf_weight", "blkio.leaf_weight_device")...)
	writes := recordWrites(t)
	b := blockIOAll()
	b.LeafWeight = ptr[uint16](200)
	b.WeightDevice[0].LeafWeight = ptr[uint16](100)
	if err := setBlkioV1(dir, b); err != nil {
		t.Fatal(err)
	}
	wantWrites(t, writes,
		"blkio.weight 500",
		"blkio.leaf_weight 200",
		"blkio.weight_device 8:0 300",
		"blkio.leaf_weight_device 8:0 100",
		"blkio.throttle.read_bps_device 8:0 1000",
		"blkio.throttle.write_bps_device 8:0 2000",
		"blkio.throttle.read_iops_device 8:16 30",
		"blkio.throttle.write_iops_device 8:16 40")
}

// This host's kind of blkio: BFQ files only, no CFQ and no leaf weights.
func TestSetBlkioV1BFQ(t *testing.T) {
	dir := fakeCgroup(t, append(throttleFilesV1, "blkio.bfq.weight", "blkio.bfq.weight_device")...)
	writes := recordWrites(t)
	if err := setBlkioV1(dir, blockIOAll()); err != nil {
		t.Fatal(err)
	}
	if (*writes)[0] != "blkio.bfq.weight 500" || (*writes)[1] != "blkio.bfq.weight_device 8:0 300" {
		t.Errorf("writes = %q", *writes)
	}
	err := setBlkioV1(dir, &specs.LinuxBlockIO{LeafWeight: ptr[uint16](200)})
	wantErr(t, err, "linux.resources.blockIO.leafWeight: "+dir+"/blkio.leaf_weight: not supported by this host (no such file)")
}

func TestSetBlkioV1NoWeightFiles(t *testing.T) {
	dir := fakeCgroup(t, throttleFilesV1...)
	err := setBlkioV1(dir, &specs.LinuxBlockIO{Weight: ptr[uint16](500)})
	wantErr(t, err, "linux.resources.blockIO.weight: "+dir+"/blkio.weight: not supported by this host (no such file)")
}

func TestValidateBlockIO(t *testing.T) {
	wantErr(t, validateBlockIO(&specs.LinuxBlockIO{Weight: ptr[uint16](5)}), "linux.resources.blockIO.weight: 5 is out of range 10-1000")
	wantErr(t, validateBlockIO(&specs.LinuxBlockIO{WeightDevice: []specs.LinuxWeightDevice{{Weight: ptr[uint16](2000)}}}),
		"linux.resources.blockIO.weightDevice[0].weight: 2000")
	wantErr(t, validateBlockIO(&specs.LinuxBlockIO{ThrottleReadBpsDevice: []specs.LinuxThrottleDevice{{LinuxBlockIODevice: specs.LinuxBlockIODevice{Major: -1}}}}),
		"linux.resources.blockIO.throttleReadBpsDevice[0]: device -1:0")
	if err := validateBlockIO(&specs.LinuxBlockIO{Weight: ptr[uint16](0)}); err != nil {
		t.Errorf("weight 0 (unset) refused: %v", err)
	}
}
