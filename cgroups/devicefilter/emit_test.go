package devicefilter

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/ocirun/ocirun/cgroups/devices"
	"golang.org/x/sys/unix"
)

// dev builds a rule; major or minor -1 is left nil (any).
func dev(allow bool, typ string, major, minor int64, access string) specs.LinuxDeviceCgroup {
	d := specs.LinuxDeviceCgroup{Allow: allow, Type: typ, Access: access}
	if major != devices.Wildcard {
		d.Major = &major
	}
	if minor != devices.Wildcard {
		d.Minor = &minor
	}
	return d
}

var (
	denyAll  = dev(false, "a", devices.Wildcard, devices.Wildcard, "rwm")
	allowAll = dev(true, "a", devices.Wildcard, devices.Wildcard, "rwm")
)

// runcDefaults is runc's default device allow-list after its deny-all.
var runcDefaults = []specs.LinuxDeviceCgroup{
	denyAll,
	dev(true, "c", devices.Wildcard, devices.Wildcard, "m"),
	dev(true, "b", devices.Wildcard, devices.Wildcard, "m"),
	dev(true, "c", 1, 3, "rwm"),
	dev(true, "c", 1, 8, "rwm"),
	dev(true, "c", 1, 7, "rwm"),
	dev(true, "c", 5, 0, "rwm"),
	dev(true, "c", 1, 5, "rwm"),
	dev(true, "c", 1, 9, "rwm"),
	dev(true, "c", 5, 1, "rwm"),
	dev(true, "c", 136, devices.Wildcard, "rwm"),
	dev(true, "c", 5, 2, "rwm"),
	dev(true, "c", 10, 200, "rwm"),
}

// probe is one device access and the verdict expected for it.
type probe struct {
	typ    byte // 'c' or 'b'
	major  uint32
	minor  uint32
	access string
	allow  bool
}

func (p probe) ctx() devCtx {
	a, _ := devices.ParseAccess(p.access)
	return devCtx{typ: bpfDeviceType(p.typ), access: uint32(a), major: p.major, minor: p.minor}
}

func (p probe) String() string {
	return fmt.Sprintf("%c %d:%d %s", p.typ, p.major, p.minor, p.access)
}

var decisionTables = []struct {
	name   string
	rules  []specs.LinuxDeviceCgroup
	probes []probe
}{
	{"no rules deny everything", nil, []probe{
		{'c', 1, 3, "r", false}, {'b', 8, 0, "m", false},
	}},
	{"deny-all", []specs.LinuxDeviceCgroup{denyAll}, []probe{
		{'c', 1, 3, "rw", false}, {'b', 8, 0, "r", false}, {'c', 0, 0, "m", false},
	}},
	{"allow-all", []specs.LinuxDeviceCgroup{allowAll}, []probe{
		{'c', 1, 3, "rwm", true}, {'b', 8, 0, "r", true}, {'c', 0xffffffff, 0xffffffff, "w", true},
	}},
	{"type defaults to a", []specs.LinuxDeviceCgroup{{Allow: true}}, []probe{
		{'c', 10, 229, "rw", true},
	}},
	{"runc defaults", runcDefaults, []probe{
		{'c', 1, 3, "rw", true},       // /dev/null
		{'c', 1, 7, "r", true},        // /dev/full
		{'c', 136, 4, "rw", true},     // a pty
		{'c', 10, 200, "rw", true},    // /dev/net/tun
		{'c', 10, 229, "rw", false},   // /dev/fuse
		{'c', 10, 229, "m", true},     // mknod of any char device
		{'b', 8, 0, "m", true},        // mknod of any block device
		{'b', 8, 0, "r", false},       // but not reading it
		{'c', 1, 1, "r", false},       // /dev/mem
		{'b', 1, 3, "r", false},       // block 1:3 is not /dev/null
		{'c', 1, 3, "rwm", true},      // rwm allowed for /dev/null
		{'c', 4, 1, "rm", false},      // "m" from c *:*, "r" from nowhere
		{'c', 137, 0, "rw", false},    // next major after the ptys
		{'c', 5, 3, "w", false},       // 5:0-5:2 only
		{'c', 1, 9, "w", true},        // /dev/urandom
		{'c', 0, 0, "m", true},        // devices.Wildcard mknod
		{'c', 136, 0xffff, "r", true}, // any pty minor
	}},
	{"access subsets and merging", []specs.LinuxDeviceCgroup{
		denyAll,
		dev(true, "c", 1, 3, "r"),
		dev(true, "c", 1, 3, "w"),
		dev(true, "c", 1, 5, "r"),
	}, []probe{
		{'c', 1, 3, "rw", true}, {'c', 1, 3, "m", false}, {'c', 1, 3, "rm", false},
		{'c', 1, 5, "r", true}, {'c', 1, 5, "w", false}, {'c', 1, 5, "rw", false},
	}},
	{"block versus char", []specs.LinuxDeviceCgroup{
		denyAll, dev(true, "b", 8, devices.Wildcard, "rw"),
	}, []probe{
		{'b', 8, 16, "r", true}, {'b', 8, 0, "rw", true}, {'c', 8, 16, "r", false}, {'b', 9, 0, "r", false},
	}},
	{"devices.Wildcard major", []specs.LinuxDeviceCgroup{
		denyAll, dev(true, "c", devices.Wildcard, 5, "r"),
	}, []probe{
		{'c', 7, 5, "r", true}, {'c', 0, 5, "r", true}, {'c', 7, 6, "r", false}, {'c', 7, 5, "w", false},
	}},
	{"deny exceptions after allow-all", []specs.LinuxDeviceCgroup{
		allowAll, dev(false, "c", 1, 3, "w"), dev(false, "b", devices.Wildcard, devices.Wildcard, "m"),
	}, []probe{
		{'c', 1, 3, "r", true}, {'c', 1, 3, "w", false},
		{'c', 1, 3, "rw", false}, // v1: a deny applies when it shares any bit
		{'c', 1, 5, "w", true}, {'b', 8, 0, "m", false}, {'b', 8, 0, "rw", true}, {'c', 8, 0, "m", true},
	}},
	{"a later deny-all resets earlier allows", []specs.LinuxDeviceCgroup{
		dev(true, "c", 1, 3, "rwm"), denyAll,
	}, []probe{
		{'c', 1, 3, "r", false},
	}},
	{"a later allow-all resets earlier denies", []specs.LinuxDeviceCgroup{
		allowAll, dev(false, "c", 1, 3, "rwm"), allowAll,
	}, []probe{
		{'c', 1, 3, "rw", true},
	}},
	{"deny-all then allow-all then deny-all then allow one", []specs.LinuxDeviceCgroup{
		denyAll, allowAll, denyAll, dev(true, "c", 1, 3, "rwm"),
	}, []probe{
		{'c', 1, 3, "rw", true}, {'c', 1, 5, "r", false},
	}},
	{"a later deny removes access from an allow", []specs.LinuxDeviceCgroup{
		denyAll, dev(true, "c", 1, 3, "rwm"), dev(false, "c", 1, 3, "w"),
	}, []probe{
		{'c', 1, 3, "r", true}, {'c', 1, 3, "m", true}, {'c', 1, 3, "w", false}, {'c', 1, 3, "rw", false},
	}},
	{"a later allow lifts a deny exception", []specs.LinuxDeviceCgroup{
		allowAll, dev(false, "c", 1, 3, "rw"), dev(true, "c", 1, 3, "w"),
	}, []probe{
		{'c', 1, 3, "w", true}, {'c', 1, 3, "r", false}, {'c', 1, 3, "rw", false},
	}},
	{"a deny that matches no allow changes nothing", []specs.LinuxDeviceCgroup{
		denyAll, dev(true, "c", 1, 3, "rwm"), dev(false, "c", 1, 5, "rwm"),
	}, []probe{
		{'c', 1, 3, "rw", true}, {'c', 1, 5, "r", false},
	}},
	{"-1 is any", []specs.LinuxDeviceCgroup{
		denyAll, dev(true, "c", 1, 3, "r"), {Allow: true, Type: "b", Major: ptr(int64(-1)), Minor: ptr(int64(-1)), Access: "r"},
	}, []probe{
		{'b', 259, 1, "r", true}, {'c', 1, 3, "r", true}, {'c', 1, 4, "r", false},
	}},
	{"numbers above 2^31", []specs.LinuxDeviceCgroup{
		denyAll, dev(true, "c", 0xffffffff, 0x80000000, "r"),
	}, []probe{
		{'c', 0xffffffff, 0x80000000, "r", true}, {'c', 0x7fffffff, 0x80000000, "r", false},
		{'c', 0xffffffff, 0, "r", false},
	}},
}

func ptr[T any](v T) *T { return &v }

func TestEmitDecisionTables(t *testing.T) {
	for _, tc := range decisionTables {
		t.Run(tc.name, func(t *testing.T) {
			insns, lic, err := Emit(tc.rules)
			if err != nil {
				t.Fatalf("Emit: %v", err)
			}
			if lic != "Apache" {
				t.Errorf("license = %q, want Apache", lic)
			}
			var buf bytes.Buffer
			if err := insns.Marshal(&buf, binary.LittleEndian); err != nil {
				t.Fatalf("Marshal: %v\n%v", err, insns)
			}
			for _, p := range tc.probes {
				got, err := runProgram(insns, p.ctx())
				if err != nil {
					t.Fatalf("%v: %v\n%v", p, err, insns)
				}
				if want := boolVerdict(p.allow); got != want {
					t.Errorf("%v: verdict %d, want %d\n%v", p, got, want, insns)
				}
			}
		})
	}
}

func boolVerdict(allow bool) uint32 {
	if allow {
		return 1
	}
	return 0
}

// TestEmitGolden pins the program layout: context loads, one block per
// exception in sorted order, then the default verdict.
func TestEmitGolden(t *testing.T) {
	insns, _, err := Emit([]specs.LinuxDeviceCgroup{
		denyAll,
		dev(true, "c", 1, 3, "rw"),
		dev(true, "b", devices.Wildcard, devices.Wildcard, "m"),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `	 0: LdXMemW dst: r2 src: r1 off: 0 imm: 0
	 1: AndImm32 dst: r2 imm: 65535
	 2: LdXMemW dst: r3 src: r1 off: 0 imm: 0
	 3: RShImm32 dst: r3 imm: 16
	 4: LdXMemW dst: r4 src: r1 off: 4 imm: 0
	 5: LdXMemW dst: r5 src: r1 off: 8 imm: 0
exception_0:
	 6: JNE32Imm dst: r2 off: -1 imm: 1 <exception_1>
	 7: MovReg32 dst: r1 src: r3
	 8: AndImm32 dst: r1 imm: 1
	 9: JNE32Reg dst: r1 off: -1 src: r3 <exception_1>
	10: MovImm32 dst: r0 imm: 1
	11: Exit
exception_1:
	12: JNE32Imm dst: r2 off: -1 imm: 2 <default>
	13: MovReg32 dst: r1 src: r3
	14: AndImm32 dst: r1 imm: 6
	15: JNE32Reg dst: r1 off: -1 src: r3 <default>
	16: JNE32Imm dst: r4 off: -1 imm: 1 <default>
	17: JNE32Imm dst: r5 off: -1 imm: 3 <default>
	18: MovImm32 dst: r0 imm: 1
	19: Exit
default:
	20: MovImm32 dst: r0 imm: 0
	21: Exit
`
	if got := fmt.Sprint(insns); got != want {
		t.Errorf("program:\n%s\nwant:\n%s", got, want)
	}
}

func TestEmitAllowAllIsJustAllow(t *testing.T) {
	insns, _, err := Emit([]specs.LinuxDeviceCgroup{allowAll})
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(insns[len(insns)-2:])
	if !strings.Contains(got, "default:") || !strings.Contains(got, "MovImm32 dst: r0 imm: 1") || len(insns) != 8 {
		t.Errorf("allow-all program should be the loads plus return 1:\n%v", insns)
	}
}

func TestEmitIsDeterministic(t *testing.T) {
	a, _, err := Emit(runcDefaults)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		b, _, _ := Emit(runcDefaults)
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Fatalf("Emit gave different programs for the same rules")
		}
	}
}

func TestEmitErrors(t *testing.T) {
	cases := []struct {
		name  string
		rules []specs.LinuxDeviceCgroup
		want  string
	}{
		{"bad type", []specs.LinuxDeviceCgroup{denyAll, {Allow: true, Type: "x"}},
			`linux.resources.devices[1].type: "x" is not a, c or b`},
		{"bad access", []specs.LinuxDeviceCgroup{dev(true, "c", 1, 3, "rwx")},
			`linux.resources.devices[0].access: "rwx": only r, w and m are allowed`},
		{"negative major", []specs.LinuxDeviceCgroup{{Allow: true, Type: "c", Major: ptr(int64(-2))}},
			`linux.resources.devices[0].major: -2 is out of range`},
		{"minor too big", []specs.LinuxDeviceCgroup{dev(true, "c", 1, 1<<32, "r")},
			`linux.resources.devices[0].minor: 4294967296 is out of range`},
		{"numbers on a", []specs.LinuxDeviceCgroup{{Allow: false, Type: "a", Major: ptr(int64(1))}},
			`linux.resources.devices[0].type: "a" applies to all devices`},
		{"partial allow a", []specs.LinuxDeviceCgroup{{Allow: true, Type: "a", Access: "r"}},
			`linux.resources.devices[0].access: "r": allowing all devices always allows rwm`},
		{"hole in devices.Wildcard allow", []specs.LinuxDeviceCgroup{
			denyAll, dev(true, "c", devices.Wildcard, devices.Wildcard, "rwm"), dev(false, "c", 1, 3, "r"),
		}, `linux.resources.devices[2]: rule for c 1:3 cannot take "r" away from the wider rule for c *:*`},
		{"hole in devices.Wildcard deny", []specs.LinuxDeviceCgroup{
			allowAll, dev(false, "c", 1, devices.Wildcard, "rw"), dev(true, "c", 1, 3, "wm"),
		}, `linux.resources.devices[2]: rule for c 1:3 cannot take "w" away from the wider rule for c 1:*`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Emit(tc.rules)
			if err == nil {
				t.Fatalf("Emit accepted the rules")
			}
			if !strings.HasPrefix(err.Error(), "devices: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

// A devices.Wildcard rule that does not overlap in access can coexist with a
// removal on a specific device: nothing would be silently ignored.
func TestEmitRemovalBesideDisjointWildcard(t *testing.T) {
	_, _, err := Emit([]specs.LinuxDeviceCgroup{
		denyAll, dev(true, "c", devices.Wildcard, devices.Wildcard, "m"), dev(true, "c", 1, 3, "rw"), dev(false, "c", 1, 3, "w"),
	})
	if err != nil {
		t.Fatalf("Emit: %v", err)
	}
}

func TestBPFConstants(t *testing.T) {
	// The ctx layout the program relies on: type in the low half.
	c := probe{'b', 1, 2, "rw", false}.ctx()
	if c.typ != unix.BPF_DEVCG_DEV_BLOCK || c.access != unix.BPF_DEVCG_ACC_READ|unix.BPF_DEVCG_ACC_WRITE {
		t.Errorf("ctx = %+v", c)
	}
}
