package devices

import (
	"errors"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

func num(n int64) *int64 { return &n }

func TestParseRuleDefaultsAndString(t *testing.T) {
	for _, tc := range []struct {
		in   specs.LinuxDeviceCgroup
		want string
	}{
		{specs.LinuxDeviceCgroup{}, "a *:* rwm"},
		{specs.LinuxDeviceCgroup{Type: "c", Major: num(1), Minor: num(3), Access: "mwr"}, "c 1:3 rwm"},
		{specs.LinuxDeviceCgroup{Type: "b", Major: num(8), Minor: num(-1), Access: "r"}, "b 8:* r"},
	} {
		r, err := ParseRule(tc.in)
		if err != nil || r.String() != tc.want {
			t.Errorf("ParseRule(%+v) = %q, %v; want %q", tc.in, r, err, tc.want)
		}
	}
}

func TestParseRuleNamesTheField(t *testing.T) {
	for _, tc := range []struct {
		in    specs.LinuxDeviceCgroup
		field string
	}{
		{specs.LinuxDeviceCgroup{Type: "x"}, "type"},
		{specs.LinuxDeviceCgroup{Type: "c", Major: num(-2)}, "major"},
		{specs.LinuxDeviceCgroup{Type: "c", Minor: num(1 << 32)}, "minor"},
		{specs.LinuxDeviceCgroup{Type: "c", Access: "rx"}, "access"},
		{specs.LinuxDeviceCgroup{Type: "a", Major: num(1)}, "type"},
		{specs.LinuxDeviceCgroup{Allow: true, Access: "r"}, "access"},
	} {
		_, err := ParseRule(tc.in)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("ParseRule(%+v): %v, want a %s error", tc.in, err, tc.field)
		}
	}
}

func TestStateFollowsTheKernel(t *testing.T) {
	s := NewState()
	for _, d := range []specs.LinuxDeviceCgroup{
		{Allow: true, Type: "c", Major: num(1), Minor: num(3), Access: "r"},
		{Allow: true, Type: "c", Major: num(1), Minor: num(3), Access: "w"}, // merged
		{Allow: true, Type: "c", Major: num(5), Minor: num(1)},
		{Allow: false, Type: "c", Major: num(5), Minor: num(1)}, // removed again
	} {
		r, _ := ParseRule(d)
		s.Apply(r)
	}
	want := State{Exceptions: map[Key]Access{{'c', 1, 3}: Read | Write}}
	if !s.Equal(want) {
		t.Fatalf("state %+v, want %+v", s, want)
	}
	r, _ := ParseRule(specs.LinuxDeviceCgroup{Allow: true, Type: "c", Access: "m"})
	s.Apply(r)
	hole, _ := ParseRule(specs.LinuxDeviceCgroup{Allow: false, Type: "c", Major: num(1), Minor: num(3), Access: "m"})
	if err := s.CheckHolePunch(hole); err == nil {
		t.Fatal("a removal inside a wildcard exception was accepted")
	}
	if got := s.Sorted(); len(got) != 2 || got[0].Key != (Key{'c', Wildcard, Wildcard}) {
		t.Fatalf("sorted %+v", got)
	}
}
