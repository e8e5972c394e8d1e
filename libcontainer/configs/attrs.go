package configs

// Process and container attributes that the init applies with one system
// call each, already converted to the kernel's numbers by specconv.

// SchedAttr is struct sched_attr for sched_setattr(2)
// (process.scheduler).
type SchedAttr struct {
	Policy   uint32 `json:"policy"`
	Flags    uint64 `json:"flags,omitempty"`
	Nice     int32  `json:"nice,omitempty"`
	Priority uint32 `json:"priority,omitempty"`
	Runtime  uint64 `json:"runtime,omitempty"`
	Deadline uint64 `json:"deadline,omitempty"`
	Period   uint64 `json:"period,omitempty"`
}

// CPUAffinity is process.execCPUAffinity as CPU numbers: Initial while the
// runtime sets an exec'd process up, Final for its program.
type CPUAffinity struct {
	Initial []int `json:"initial,omitempty"`
	Final   []int `json:"final,omitempty"`
}

// MemoryPolicy is linux.memoryPolicy for set_mempolicy(2): the mode with
// its flags or'ed in, and the node mask.
type MemoryPolicy struct {
	Mode  int      `json:"mode"`
	Nodes []uint64 `json:"nodes,omitempty"`
}
