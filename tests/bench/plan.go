package main

// plan says how much of each measurement the driver asks for.
type plan struct {
	Quick         bool
	Iterations    int   // per runtime, measurements 1-3 (≥ 100 for a real run)
	Rounds        int   // interleaving rounds for measurements 1-3
	BurstSize     int   // containers per burst
	Bursts        int   // timed bursts per runtime
	SampledBursts int   // bursts with RSS sampling, per runtime
	Levels        []int // background containers per runtime for measurement 5
	ScaleExtra    int   // create+start/list/state samples per level and runtime
	ScaleRounds   int   // interleaving rounds per level
}

func fullPlan() plan {
	return plan{
		Iterations: 100, Rounds: 10,
		BurstSize: 50, Bursts: 5, SampledBursts: 3,
		Levels: []int{0, 100, 500}, ScaleExtra: 20, ScaleRounds: 4,
	}
}

// quickPlan is for development: a few iterations and no 500 level.
func quickPlan() plan {
	return plan{
		Quick:      true,
		Iterations: 12, Rounds: 3,
		BurstSize: 50, Bursts: 1, SampledBursts: 1,
		Levels: []int{0, 100}, ScaleExtra: 6, ScaleRounds: 2,
	}
}

// batches splits total iterations into rounds batches as evenly as
// possible (earlier batches take the remainder).
func batches(total, rounds int) []int {
	rounds = max(1, min(rounds, total))
	out := make([]int, rounds)
	for i := range out {
		out[i] = total / rounds
		if i < total%rounds {
			out[i]++
		}
	}
	return out
}

// rotation is the order of the runtimes in round r: each runtime goes
// first, second and third equally often, which cancels slow drifts of the
// machine's load (other users, thermal, page cache).
func rotation(names []string, r int) []string {
	out := make([]string, len(names))
	for i := range names {
		out[i] = names[(i+r)%len(names)]
	}
	return out
}
