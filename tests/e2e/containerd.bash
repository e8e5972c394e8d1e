# shellcheck shell=bash
# One private containerd per test file (sourced by helpers.bash): its own
# config.toml with every path (root, state, sockets, opt) under DIR, started
# in the background and stopped by its PID. Nothing else is ever signalled.

# write_containerd_config DIR CRI: DIR/config.toml; CRI=1 enables the CRI
# plugin with ocirun as the runtime handler "ocirun" and the sandbox image
# $E2E_PAUSE_IMAGE, CRI=0 disables it.
write_containerd_config() {
	local dir="$1" cri="$2"
	{
		cat <<-EOF
			version = 2
			root = "$dir/root"
			state = "$dir/state"
		EOF
		if [[ "$cri" == 0 ]]; then
			echo 'disabled_plugins = ["io.containerd.grpc.v1.cri"]'
		fi
		cat <<-EOF
			[grpc]
			  address = "$dir/containerd.sock"
			[ttrpc]
			  address = "$dir/containerd.sock.ttrpc"
			[debug]
			  address = "$dir/debug.sock"
			[plugins."io.containerd.internal.v1.opt"]
			  path = "$dir/opt"
		EOF
		if [[ "$cri" == 1 ]]; then
			write_cri_config "$dir"
		fi
	} >"$dir/config.toml"
}

# write_cri_config DIR: the CRI plugin section. Host-network pods need no
# CNI plugin; the CNI dirs point into DIR so that the host's are never read.
# The stream server listens on loopback only, on a free port. Without
# CAP_SYS_RESOURCE no process may lower its oom_score_adj, which the pod
# sandbox asks for (-998): restrict_oom_score_adj keeps the value at ours.
write_cri_config() {
	local dir="$1"
	cat <<-EOF
		[plugins."io.containerd.grpc.v1.cri"]
		  sandbox_image = "$E2E_PAUSE_IMAGE"
		  restrict_oom_score_adj = true
		  stream_server_address = "127.0.0.1"
		  stream_server_port = "0"
		  [plugins."io.containerd.grpc.v1.cri".cni]
		    bin_dir = "$dir/cni/bin"
		    conf_dir = "$dir/cni/conf.d"
		  [plugins."io.containerd.grpc.v1.cri".containerd]
		    default_runtime_name = "ocirun"
		    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.ocirun]
		      runtime_type = "io.containerd.runc.v2"
		      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.ocirun.options]
		        BinaryName = "$OCIRUN"
		        Root = "$RUNC_ROOT"
	EOF
}

# start_containerd DIR: containerd with DIR/config.toml, its log in
# DIR/containerd.log; returns once it answers. Sets CONTAINERD_PID and
# CONTAINERD_SOCK. fd 3 is closed so that bats does not wait for it.
start_containerd() {
	local dir="$1"
	CONTAINERD_SOCK="$dir/containerd.sock"
	containerd --config "$dir/config.toml" </dev/null >"$dir/containerd.log" 2>&1 3>&- &
	CONTAINERD_PID=$!
	export CONTAINERD_PID CONTAINERD_SOCK
	for _ in $(seq 100); do
		if ! is_live_pid "$CONTAINERD_PID"; then
			echo "containerd exited; its log:" >&2
			tail -20 "$dir/containerd.log" >&2
			return 1
		fi
		command ctr --address "$CONTAINERD_SOCK" version >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "containerd did not answer on $CONTAINERD_SOCK; its log:" >&2
	tail -20 "$dir/containerd.log" >&2
	return 1
}

# stop_containerd: SIGTERM to our containerd, SIGKILL after 10 s.
stop_containerd() {
	[[ -n "${CONTAINERD_PID:-}" ]] || return 0
	kill -TERM "$CONTAINERD_PID" 2>/dev/null || return 0
	for _ in $(seq 100); do
		is_live_pid "$CONTAINERD_PID" || break
		sleep 0.1
	done
	if is_live_pid "$CONTAINERD_PID"; then
		echo "containerd $CONTAINERD_PID ignored SIGTERM: SIGKILL" >&2
		kill -KILL "$CONTAINERD_PID" 2>/dev/null
	fi
	wait "$CONTAINERD_PID" 2>/dev/null
	CONTAINERD_PID=""
}

# other_containerd_runs: any containerd or shim process but ours (a look at
# names only, to decide whether /run/containerd is still someone's).
other_containerd_runs() {
	local pid
	# A shim's comm is cut to 15 characters: match its command line.
	for pid in $(pgrep -x containerd) $(pgrep -f '^(/usr/bin/)?containerd-shim'); do
		# Ours may linger as a zombie until its parent reaps it.
		is_live_pid "$pid" || continue
		[[ "$pid" == "${CONTAINERD_PID:-}" ]] && continue
		echo "containerd or shim process $pid runs" >&2
		return 0
	done
	return 1
}

# remove_run_containerd: the shims keep their sockets in /run/containerd/s
# whatever the config says; remove the directory only if this file's setup
# did not find it and no other containerd uses it now.
remove_run_containerd() {
	[[ "${E2E_RUN_CONTAINERD_EXISTED:-1}" == 0 ]] || return 0
	[[ -d /run/containerd ]] || return 0
	if other_containerd_runs; then
		echo "/run/containerd kept: another containerd or shim runs" >&2
		return 0
	fi
	rm -rf /run/containerd
}
