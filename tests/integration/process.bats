#!/usr/bin/env bats
# The process section: args, env, cwd, user, umask, rlimits, capabilities,
# and the per-container kernel settings (oom score, hostname, sysctl).

load helpers

setup() {
	setup_bundle
}

teardown() {
	teardown_bundle
}

# status_field PID FIELD: a field of /proc/PID/status, whitespace squeezed.
status_field() {
	awk -v f="$2:" '$1 == f {$1 = ""; sub(/^ /, ""); print}' "/proc/$1/status"
}

@test "process: args are looked up in PATH" {
	update_config '.process.env = ["PATH=/nonexistent:/bin"]'
	set_args echo found-in-path
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "$output" = found-in-path ]
}

@test "process: a program missing from PATH fails to run" {
	set_args no-such-program
	run ocirun run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "process: env is exactly the config's" {
	update_config '.process.env = ["PATH=/bin", "FOO=bar baz", "EMPTY="]'
	set_args sh -c 'echo "FOO=[$FOO]"; env | grep -c "^EMPTY=$"; env | grep -q ^TERM= && echo has-term || echo no-term'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "${lines[0]}" = "FOO=[bar baz]" ]
	[ "${lines[1]}" = 1 ]
	[ "${lines[2]}" = no-term ]
}

@test "process: cwd, created when missing" {
	update_config '.process.cwd = "/var/lib/work"'
	set_args pwd
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "$output" = /var/lib/work ]
	# Host view: runc creates it in the rootfs, as a directory.
	[ -d "$ROOTFS/var/lib/work" ]
}

@test "process: user uid, gid and additionalGids" {
	update_config '.process.user = {uid: 1000, gid: 1000, additionalGids: [1001]}'
	set_args sh -c 'id; exec sleep 100'
	run_detached
	local pid
	pid="$(init_pid)"
	wait_for_output "$CTR_OUT" uid=
	[ "$(cat "$CTR_OUT")" = "uid=1000(user) gid=1000(user) groups=1001(extra)" ]
	# Host view.
	[ "$(status_field "$pid" Uid)" = "1000 1000 1000 1000" ]
	[ "$(status_field "$pid" Gid)" = "1000 1000 1000 1000" ]
	[ "$(status_field "$pid" Groups)" = 1001 ]
}

@test "process: umask" {
	update_config '.process.user.umask = 63' # 0077
	set_args sh -c 'umask; touch /tmp/f; mkdir /tmp/d; stat -c %a /tmp/f /tmp/d'
	update_config '.mounts += [{destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["mode=1777"]}]'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "${lines[0]}" = 0077 ]
	[ "${lines[1]}" = 600 ]
	[ "${lines[2]}" = 700 ]
}

@test "process: HOME comes from /etc/passwd when env lacks it" {
	update_config '.process.env = ["PATH=/bin"] | .process.user = {uid: 1000, gid: 1000}'
	set_args sh -c 'echo "$HOME"'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "$output" = /home/user ]
}

@test "process: HOME from env wins over /etc/passwd" {
	update_config '.process.env = ["PATH=/bin", "HOME=/elsewhere"]'
	set_args sh -c 'echo "$HOME"'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "$output" = /elsewhere ]
}

@test "process: rlimits" {
	# The host hard limit is 20000 and we lack CAP_SYS_RESOURCE: stay below.
	update_config '.process.rlimits = [{type: "RLIMIT_NOFILE", soft: 1024, hard: 2048}, {type: "RLIMIT_NPROC", soft: 500, hard: 600}]'
	set_args sh -c 'ulimit -n; grep -E "^Max (open files|processes)" /proc/self/limits; exec sleep 100'
	run_detached
	local pid
	pid="$(init_pid)"
	wait_for_output "$CTR_OUT" 'Max processes'
	[ "$(sed -n 1p "$CTR_OUT")" = 1024 ]
	grep -Eq '^Max open files +1024 +2048 ' "$CTR_OUT"
	grep -Eq '^Max processes +500 +600 ' "$CTR_OUT"
	# Host view.
	grep -Eq '^Max open files +1024 +2048 ' "/proc/$pid/limits"
}

@test "process: capabilities match the config" {
	update_config '.process.capabilities = {
		bounding: ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
		effective: ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
		permitted: ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"]}
		| .mounts += [{destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["mode=1777"]}]'
	# CHOWN=0, KILL=5, NET_BIND_SERVICE=10: 0x421.
	set_args sh -c 'grep -E "^Cap(Eff|Prm|Bnd|Amb|Inh)" /proc/self/status; touch /tmp/f; chown 1000 /tmp/f && echo chown-ok; mknod /tmp/n c 1 3 2>/dev/null && echo mknod-ok || echo mknod-denied; exec sleep 100'
	run_detached
	local pid
	pid="$(init_pid)"
	wait_for_output "$CTR_OUT" 'mknod-'
	grep -qx 'CapEff:[[:space:]]*0000000000000421' "$CTR_OUT"
	grep -qx 'CapPrm:[[:space:]]*0000000000000421' "$CTR_OUT"
	grep -qx 'CapBnd:[[:space:]]*0000000000000421' "$CTR_OUT"
	grep -qx 'CapAmb:[[:space:]]*0000000000000000' "$CTR_OUT"
	grep -qx chown-ok "$CTR_OUT"
	grep -qx mknod-denied "$CTR_OUT"
	# Host view.
	[ "$(status_field "$pid" CapEff)" = 0000000000000421 ]
	[ "$(status_field "$pid" CapBnd)" = 0000000000000421 ]
}

@test "process: noNewPrivileges" {
	update_config '.process.noNewPrivileges = true'
	set_args grep NoNewPrivs /proc/self/status
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[[ "$output" =~ ^NoNewPrivs:[[:space:]]+1$ ]]

	update_config '.process.noNewPrivileges = false'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[[ "$output" =~ ^NoNewPrivs:[[:space:]]+0$ ]]
}

@test "process: oomScoreAdj" {
	update_config '.process.oomScoreAdj = 500'
	set_args sh -c 'cat /proc/self/oom_score_adj; exec sleep 100'
	run_detached
	local pid
	pid="$(init_pid)"
	wait_for_output "$CTR_OUT" '^[0-9-]+$'
	[ "$(cat "$CTR_OUT")" = 500 ]
	# Host view.
	[ "$(cat "/proc/$pid/oom_score_adj")" = 500 ]
}

@test "process: hostname" {
	update_config '.hostname = "box1"'
	set_args sh -c 'hostname; cat /proc/sys/kernel/hostname'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "${lines[0]}" = box1 ]
	[ "${lines[1]}" = box1 ]
	[ "$(hostname)" != box1 ]
}

@test "process: domainname" {
	# runc 1.1.5 ignores the domainname field (it prints "(none)").
	[[ "$(basename "$OCIRUN")" == runc ]] && skip "runc 1.1.5 does not set domainname"
	local host_domain
	host_domain="$(cat /proc/sys/kernel/domainname)"
	update_config '.domainname = "example.org"'
	set_args cat /proc/sys/kernel/domainname
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "$output" = example.org ]
	[ "$(cat /proc/sys/kernel/domainname)" = "$host_domain" ]
}

@test "process: sysctl in the container's own net namespace" {
	local host_value
	host_value="$(cat /proc/sys/net/ipv4/ip_forward)"
	local want=1
	[ "$host_value" = 1 ] && want=0
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": $v}' --arg v "$want"
	set_args cat /proc/sys/net/ipv4/ip_forward
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "$output" = "$want" ]
	# Host view: untouched.
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host_value" ]
}

@test "process: --preserve-fds passes extra fds" {
	echo via-fd-3 >"$BATS_TEST_TMPDIR/fd3"
	set_args sh -c 'cat <&3; [ -e /proc/self/fd/4 ] && echo fd4-open || echo fd4-closed'
	# bats owns fd 3 in the test itself: open the file in a child shell.
	run bash -c 'exec 3<"$1" 4</dev/null; shift; exec "$@"' _ "$BATS_TEST_TMPDIR/fd3" \
		timeout 20 "$OCIRUN" --root "$ROOT" run --preserve-fds 1 --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "${lines[0]}" = via-fd-3 ]
	[ "${lines[1]}" = fd4-closed ]
}

@test "process: without --preserve-fds extra fds are closed" {
	echo via-fd-3 >"$BATS_TEST_TMPDIR/fd3"
	set_args sh -c '[ -e /proc/self/fd/3 ] && echo fd3-open || echo fd3-closed'
	run bash -c 'exec 3<"$1"; shift; exec "$@"' _ "$BATS_TEST_TMPDIR/fd3" \
		timeout 20 "$OCIRUN" --root "$ROOT" run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "$output" = fd3-closed ]
}
