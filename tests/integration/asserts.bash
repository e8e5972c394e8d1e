# shellcheck shell=bash
# Waits and assertions shared by the integration suite and the e2e tier
# (sourced by both helpers.bash files).
# shellcheck disable=SC2154 # status and output are set by bats' run

# wait_for_file FILE: poll until FILE exists, for up to 10 s.
wait_for_file() {
	for _ in $(seq 100); do
		[[ -e "$1" ]] && return 0
		sleep 0.1
	done
	echo "timed out waiting for $1" >&2
	return 1
}

# wait_for_output FILE PATTERN: poll until FILE has a line matching PATTERN
# (grep -E), for up to 10 s.
wait_for_output() {
	for _ in $(seq 100); do
		grep -Eq "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "timed out waiting for '$2' in $1:" >&2
	cat "$1" >&2
	return 1
}

# expect_status WANT: the exit status of the last `run`, with its output on
# mismatch.
expect_status() {
	if [[ "$status" -ne "$1" ]]; then
		echo "exit status $status, want $1; output:" >&2
		echo "$output" >&2
		return 1
	fi
}

# expect_output_contains TEXT: the output of the last `run` contains TEXT.
expect_output_contains() {
	if [[ "$output" != *"$1"* ]]; then
		echo "output does not contain '$1':" >&2
		echo "$output" >&2
		return 1
	fi
}
