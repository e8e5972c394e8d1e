package main

import (
	"slices"
	"testing"
)

func TestBatches(t *testing.T) {
	cases := []struct {
		total, rounds int
		want          []int
	}{
		{100, 10, []int{10, 10, 10, 10, 10, 10, 10, 10, 10, 10}},
		{10, 3, []int{4, 3, 3}},
		{2, 5, []int{1, 1}},
		{5, 0, []int{5}},
	}
	for _, c := range cases {
		got := batches(c.total, c.rounds)
		if !slices.Equal(got, c.want) {
			t.Errorf("batches(%d, %d) = %v, want %v", c.total, c.rounds, got, c.want)
		}
		sum := 0
		for _, n := range got {
			sum += n
		}
		if sum != c.total {
			t.Errorf("batches(%d, %d) sums to %d", c.total, c.rounds, sum)
		}
	}
}

func TestRotationPutsEachRuntimeFirstInTurn(t *testing.T) {
	names := []string{"ocirun", "runc", "crun"}
	firsts := map[string]int{}
	for r := range 6 {
		order := rotation(names, r)
		firsts[order[0]]++
		sorted := slices.Clone(order)
		slices.Sort(sorted)
		if !slices.Equal(sorted, []string{"crun", "ocirun", "runc"}) {
			t.Fatalf("round %d: %v is not a permutation", r, order)
		}
	}
	for _, n := range names {
		if firsts[n] != 2 {
			t.Errorf("%s first %d times in 6 rounds, want 2", n, firsts[n])
		}
	}
}

func TestPlans(t *testing.T) {
	full := fullPlan()
	if full.Iterations < 100 {
		t.Errorf("full plan: %d iterations, the issue asks for ≥ 100", full.Iterations)
	}
	if !slices.Equal(full.Levels, []int{0, 100, 500}) || full.BurstSize != 50 {
		t.Errorf("full plan: levels %v, burst %d", full.Levels, full.BurstSize)
	}
	if slices.Contains(quickPlan().Levels, 500) {
		t.Error("quick plan has the 500 level")
	}
}
