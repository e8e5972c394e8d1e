#!/usr/bin/env bats
# The init stage: for a plain new container, create and run start no Go
# runtime inside it. A thread of the parent builds the rootfs in the init's
# namespaces and the init, a C stage only, sets the process up from an exec
# plan (libcontainer/initstage.go). OCIRUN_INIT_GO=1 forces the Go init;
# every test here compares both ways, and the results with what the config
# asks for.

load helpers

bats_require_minimum_version 1.5.0

setup() {
	skip_if_runc
	setup_bundle true
}

teardown() {
	teardown_bundle
}

# rich_config SCRIPT: a container with its own identity, limits, mounts,
# sysctls, hostname, read-only root and oom score (and the default
# config's namespaces, a cgroup namespace among them),
# running `sh -c SCRIPT`.
rich_config() {
	write_process_json "$BATS_TEST_TMPDIR/process.json" "$1"
	mkdir -p "$BATS_TEST_TMPDIR/hostdir"
	echo from-host >"$BATS_TEST_TMPDIR/hostdir/file"
	update_config '.process = ($p[0] + {cwd: "/work/new", oomScoreAdj: 100})
		| .hostname = "stage-test" | .domainname = "example.org"
		| .root.readonly = true
		| .linux.sysctl = {"net.ipv4.ip_forward": "1", "kernel.msgmax": "4096"}
		| .linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
			syscalls: [{names: ["mkdirat", "mkdir"], action: "SCMP_ACT_ERRNO", errnoRet: 1}]}
		| .mounts += [{destination: "/scratch", type: "tmpfs", source: "tmpfs", options: ["size=1m", "mode=700", "nosuid"]},
			{destination: "/hostdir", type: "bind", source: $d, options: ["rbind", "ro"]}]' \
		--slurpfile p "$BATS_TEST_TMPDIR/process.json" --arg d "$BATS_TEST_TMPDIR/hostdir"
}

# run_both_ways: `run` with the init stage (the default), then with the Go
# init forced; prints both outputs separated by a line "--". The debug log
# of the first is $BATS_TEST_TMPDIR/stage.json.
run_both_ways() {
	ocirun --debug --log "$BATS_TEST_TMPDIR/stage.json" --log-format json \
		run --bundle "$BUNDLE" "$ID" 2>&1 || return 1
	echo --
	OCIRUN_INIT_GO=1 ocirun run --bundle "$BUNDLE" "$ID" 2>&1 || return 1
}

@test "init stage: run builds the same container as the Go init" {
	rich_config '
		pwd; id; echo "HOME=$HOME"; umask; hostname; cat /proc/sys/kernel/domainname
		grep -E "^(Groups|Cap...|NoNewPrivs|Seccomp):" /proc/self/status
		grep -E "^Max (processes|open files)" /proc/self/limits
		echo "forward=$(cat /proc/sys/net/ipv4/ip_forward) msgmax=$(cat /proc/sys/kernel/msgmax)"
		echo "oom=$(cat /proc/self/oom_score_adj) lo=$(cat /sys/class/net/lo/operstate)"
		cat /proc/self/cgroup
		cut -d" " -f4- /proc/self/mountinfo
		cat /hostdir/file; touch /hostdir/x 2>&1; touch /x 2>&1; mkdir /scratch/d 2>&1
		echo "pid=$$"; ls /proc/self/fd | sort -n | tr "\n" " "; echo
		true'
	local host_mounts
	host_mounts="$(sha256sum </proc/self/mountinfo)"
	run run_both_ways
	expect_status 0
	local stage="${output%%$'\n'--$'\n'*}" go_init="${output#*$'\n'--$'\n'}"
	echo "init stage:$stage"
	echo "Go init:$go_init"
	[ "$stage" = "$go_init" ]
	# ...and both are what the config asks for.
	[[ "$stage" == "/work/new"$'\n'* ]]
	[[ "$stage" =~ uid=1000.*gid=1000.*groups=1001 ]]
	[[ "$stage" == *"HOME=/home/user"* ]]
	[[ "$stage" == *$'\nstage-test\nexample.org\n'* ]]
	[[ "$stage" =~ CapAmb:[[:space:]]+0000000000000020 ]]
	[[ "$stage" =~ NoNewPrivs:[[:space:]]+1 ]]
	[[ "$stage" =~ Seccomp:[[:space:]]+2 ]]
	[[ "$stage" =~ Max\ open\ files\ +512\ +1024 ]]
	[[ "$stage" == *"forward=1 msgmax=4096"* ]]
	[[ "$stage" == *"oom=100 lo=unknown"* ]] # lo is up ("unknown": no carrier state)
	[[ "$stage" == *"0::/"* ]]                # the cgroup namespace
	[[ "$stage" =~ $'\n'"/ /proc rw".*" - proc proc " ]]
	[[ "$stage" =~ $'\n'"/ /scratch rw,nosuid".*" - tmpfs tmpfs rw,size=1024k,mode=700" ]]
	[[ "$stage" == *$'\nfrom-host\n'* ]]
	[[ "$stage" == *"touch: /hostdir/x: Read-only file system"* ]]
	[[ "$stage" == *"touch: /x: Read-only file system"* ]]
	[[ "$stage" == *"mkdir: can't create directory '/scratch/d': Operation not permitted"* ]]
	[[ "$stage" == *$'\npid=1\n0 1 2 3 '* ]] # pid 1; stdio and ls's own fd
	jq -r .msg "$BATS_TEST_TMPDIR/stage.json" | grep -q '^create: the parent builds the rootfs'
	# The host's mount table did not change.
	[ "$(sha256sum </proc/self/mountinfo)" = "$host_mounts" ]
}

# threads_of PID: the Threads: line of the process's status.
threads_of() {
	awk '$1 == "Threads:" {print $2}' "/proc/$1/status"
}

@test "init stage: a created container waits in a C-only init, then starts" {
	set_args sh -c 'echo "started pid=$$"'
	local mode pid outputs=()
	for mode in 0 1; do
		OCIRUN_INIT_GO=$mode create_container
		pid="$(init_pid)"
		[ "$(container_field "$ID" status)" = created ]
		echo "mode $mode: $(threads_of "$pid") threads"
		if [[ $mode == 0 ]]; then
			[ "$(threads_of "$pid")" -eq 1 ] # no Go runtime in it
		else
			[ "$(threads_of "$pid")" -gt 1 ]
		fi
		ocirun start "$ID"
		wait_for_status "$ID" stopped
		outputs+=("$(cat "$CTR_OUT")")
		ocirun delete "$ID"
	done
	echo "init stage: ${outputs[0]}; Go init: ${outputs[1]}"
	[ "${outputs[0]}" = "${outputs[1]}" ]
	[ "${outputs[0]}" = "started pid=1" ]
}

@test "init stage: errors read as the Go init's, and nothing is left" {
	local filter outputs=()
	for filter in '.process.args = ["nosuch"]' \
		'.process.cwd = "/root/x" | .process.user.uid = 1000' \
		'.linux.sysctl = {"kernel.msgmax": "notanumber"}' \
		'.mounts += [{destination: "/proc/sys/x", type: "tmpfs", source: "tmpfs"}]'; do
		cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/good.json"
		update_config "$filter"
		run ! ocirun run --bundle "$BUNDLE" "$ID"
		local stage="$output"
		OCIRUN_INIT_GO=1 run ! ocirun run --bundle "$BUNDLE" "$ID"
		echo "$filter: init stage: $stage; Go init: $output"
		[ "$stage" = "$output" ]
		[ -n "$output" ]
		[ ! -e "$ROOT/$ID" ]
		cp "$BATS_TEST_TMPDIR/good.json" "$BUNDLE/config.json"
	done
}

@test "init stage: a terminal container gets the same pty and /dev/console as with the Go init" {
	update_config '.process.terminal = true | .process.consoleSize = {height: 30, width: 100}'
	set_args sh -c 'tty; stty size; [ -t 0 ] && echo stdin-is-a-tty
		stat -c "console %F %t:%T" /dev/console; stat -L -c "stdin %F %t:%T" /proc/self/fd/0
		grep " /dev/console " /proc/self/mountinfo | cut -d" " -f4,5,9; echo the-end'
	local mode log="$BATS_TEST_TMPDIR/log.json" outputs=()
	for mode in 0 1; do
		rm -f "$CONSOLE_SOCKET"
		start_recvtty
		: >"$log"
		OCIRUN_INIT_GO=$mode ocirun --debug --log "$log" --log-format json \
			run -d --console-socket "$CONSOLE_SOCKET" --bundle "$BUNDLE" "$ID" </dev/null
		wait_recvtty
		wait_for_status "$ID" stopped
		ocirun delete "$ID"
		outputs+=("$(tr -d '\r' <"$RECVTTY_OUT")")
		if [[ $mode == 0 ]]; then
			jq -r .msg "$log" | grep -q '^create: the parent builds the rootfs'
		else
			jq -r .msg "$log" | grep -q '^create: the Go init builds the container'
		fi
	done
	echo "init stage: ${outputs[0]}"
	echo "Go init: ${outputs[1]}"
	[ "${outputs[0]}" = "${outputs[1]}" ]
	local out="${outputs[0]}" tty
	[[ "$out" == "/dev/pts/0"$'\n30 100\nstdin-is-a-tty\n'* ]]
	# /dev/console is the pty itself, bind-mounted from the container's devpts.
	tty="$(sed -n 's/^stdin character special file //p' <<<"$out")"
	[ -n "$tty" ]
	[[ "$out" == *$'\nconsole character special file '"$tty"$'\n'* ]]
	[[ "$out" == *$'\n/0 /dev/console devpts\n'* ]]
	[[ "$out" == *the-end ]]
}

@test "init stage: what the plan cannot carry takes the Go init" {
	local log="$BATS_TEST_TMPDIR/log.json"
	ocirun --debug --log "$log" --log-format json run --bundle "$BUNDLE" --no-pivot "$ID"
	jq -r .msg "$log" | grep -q '^create: the Go init builds the container'
	update_config '.hooks.createContainer = [{path: "/bin/true"}]'
	: >"$log"
	ocirun --debug --log "$log" --log-format json run --bundle "$BUNDLE" "$ID"
	jq -r .msg "$log" | grep -q '^create: the Go init builds the container'
}

@test "init stage: SIGTERM stops a created container, as it stops the Go init" {
	local mode
	for mode in 0 1; do
		OCIRUN_INIT_GO=$mode create_container
		init_pid >/dev/null
		ocirun kill "$ID" TERM
		wait_for_status "$ID" stopped
		ocirun delete "$ID"
	done
}
