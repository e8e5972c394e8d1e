# shellcheck shell=bash
# Leak checks for the e2e tier (sourced by helpers.bash): once a container
# is removed through containerd, ocirun must have left no state dir, cgroup,
# mount or process of it. Each check cleans up what it finds, then fails.

# Containers of the current test, as "NAMESPACE|ID|CGROUP_PATH".
TRACKED_CONTAINERS=()
# Pids of the current test's container processes and shims (pid:start).
TRACKED_PIDS=()

# track_container NAMESPACE ID CGROUP_PATH: teardown removes the container
# and checks that it left nothing.
track_container() {
	TRACKED_CONTAINERS+=("$1|$2|$3")
}

# task_pid NAMESPACE ID: the init pid containerd reports for the task.
task_pid() {
	ctrd --namespace "$1" tasks ls | awk -v id="$2" '$1 == id {print $2}'
}

# track_task NAMESPACE ID: remember the task's init and its shim (the
# shim is the init's parent: it is the containers' subreaper).
track_task() {
	local pid
	pid="$(task_pid "$1" "$2")"
	[[ -n "$pid" && "$pid" != 0 ]] || return 0
	track_pid "$pid" "$(pid_parent "$pid")"
}

# remove_container NAMESPACE ID: kill, delete the task, then the container
# (and its snapshot); errors are ignored, the leak checks judge.
remove_container() {
	ctrd --namespace "$1" tasks kill --all --signal KILL "$2" >/dev/null 2>&1
	ctrd --namespace "$1" tasks rm --force "$2" >/dev/null 2>&1
	ctrd --namespace "$1" containers rm "$2" >/dev/null 2>&1
	return 0
}

# remove_all_containers NAMESPACE: containers still known to containerd at
# the end of a file are leaks: remove them, then fail.
remove_all_containers() {
	local id rc=0
	for id in $(ctrd --namespace "$1" containers ls --quiet 2>/dev/null); do
		echo "LEAK: container $1/$id left in containerd" >&2
		remove_container "$1" "$id"
		rc=1
	done
	return $rc
}

# leak_check_state NAMESPACE ID: ocirun's state dir for the container.
leak_check_state() {
	local dir="$RUNC_ROOT/$1/$2"
	[[ -e "$dir" ]] || return 0
	echo "LEAK: state dir $dir left behind" >&2
	rm -rf "$dir"
	return 1
}

# leak_check_cgroup CGROUP_PATH: no hierarchy may keep it.
leak_check_cgroup() {
	local mnt dir rc=0
	for mnt in "${CGROUP_MOUNTS[@]}"; do
		dir="$mnt$1"
		[[ -d "$dir" ]] || continue
		echo "LEAK: cgroup $dir left behind" >&2
		find "$dir" -depth -type d -exec rmdir {} \; 2>/dev/null
		rc=1
	done
	return $rc
}

# mounts_matching PATTERN: mount points (mountinfo field 5) containing
# PATTERN, deepest first.
mounts_matching() {
	awk -v p="$1" 'index($5, p) > 0 {print $5}' /proc/self/mountinfo | sort -r
}

# leak_check_mounts_of ID: no mount point names the container (containerd
# mounts its rootfs at <state>/io.containerd.runtime.v2.task/<ns>/<id>/rootfs).
leak_check_mounts_of() {
	local mounts m
	mounts="$(awk -v c="/$1" 'index($5, c "/") > 0 || substr($5, length($5) - length(c) + 1) == c {print $5}' \
		/proc/self/mountinfo | sort -r)"
	[[ -z "$mounts" ]] && return 0
	echo "LEAK: mounts of $1 left behind: ${mounts//$'\n'/ }" >&2
	for m in $mounts; do umount -l "$m" 2>/dev/null; done
	return 1
}

# leak_check_mounts_under DIR: no mount below DIR (the file's temp dir).
leak_check_mounts_under() {
	local mounts m
	mounts="$(mounts_matching "$1/")"
	[[ -z "$mounts" ]] && return 0
	echo "LEAK: mounts under $1 left behind: ${mounts//$'\n'/ }" >&2
	for m in $mounts; do umount -l "$m" 2>/dev/null; done
	return 1
}

# leak_check_pids: the tracked processes must be gone (a short grace
# period lets killed processes and exiting shims go).
leak_check_pids() {
	local entry left=""
	for _ in $(seq 50); do
		left=""
		for entry in "${TRACKED_PIDS[@]}"; do
			is_tracked_pid_live "$entry" && left+="$entry "
		done
		[[ -z "$left" ]] && return 0
		sleep 0.1
	done
	echo "LEAK: processes left behind (pid:start): $left" >&2
	for entry in $left; do
		# Only this test's processes: re-check identity first.
		is_tracked_pid_live "$entry" && kill -9 "${entry%%:*}" 2>/dev/null
	done
	return 1
}

# leak_check_container NAMESPACE ID CGROUP_PATH: everything ocirun made for
# the container is gone.
leak_check_container() {
	local rc=0
	leak_check_state "$1" "$2" || rc=1
	leak_check_cgroup "$3" || rc=1
	leak_check_mounts_of "$2" || rc=1
	return $rc
}

# leak_check_runc_root NAMESPACE: no state dir at all under the runtime's
# root for that namespace.
leak_check_runc_root() {
	local entry rc=0
	for entry in "$RUNC_ROOT/$1"/*; do
		[[ -e "$entry" ]] || continue
		echo "LEAK: state dir $entry left behind" >&2
		rm -rf "$entry"
		rc=1
	done
	return $rc
}

# e2e_teardown: remove the test's containers that containerd still knows,
# then fail the test if any of them left something behind.
e2e_teardown() {
	local entry ns id cg rc=0
	for entry in "${TRACKED_CONTAINERS[@]}"; do
		IFS='|' read -r ns id cg <<<"$entry"
		ctrd --namespace "$ns" containers ls --quiet 2>/dev/null | grep -qx "$id" || continue
		track_task "$ns" "$id" 2>/dev/null
		remove_container "$ns" "$id"
	done
	leak_check_pids || rc=1
	for entry in "${TRACKED_CONTAINERS[@]}"; do
		IFS='|' read -r ns id cg <<<"$entry"
		leak_check_container "$ns" "$id" "$cg" || rc=1
	done
	return $rc
}
