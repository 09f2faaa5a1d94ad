# Sourced by the scripts in scripts/container: the container engine's settings for this kind of machine,
# given to podman and buildah through CONTAINERS_CONF (unless the caller set one):
# - runtime runc and the cgroupfs manager: crun refuses the hybrid cgroup layout ("cgroups in hybrid mode not
#   supported") and there is no systemd as PID 1 to manage cgroups;
# - resource limits no higher than this process's own: podman's defaults (nofile 1048576, nproc 4194304) need
#   CAP_SYS_RESOURCE, which a sandboxed root lacks, and RLIMIT_NPROC above half of kernel.pid_max was refused
#   here too (measured: 32656 passed, 32896 failed with pid_max 32768).
# podman and buildah share the image store (/var/lib/containers/storage for root), so an image built by
# buildah runs under podman as is.
if [ -z "${CONTAINERS_CONF:-}" ]; then
  _nofile=$(ulimit -Hn)
  _nproc=$(ulimit -Hu)
  _half_pids=$(( $(cat /proc/sys/kernel/pid_max) / 2 ))
  [ "$_nofile" = unlimited ] && _nofile=65536
  if [ "$_nproc" = unlimited ] || [ "$_nproc" -gt "$_half_pids" ]; then _nproc=$_half_pids; fi
  # One file per set of values (written anew each time, the same name): nothing piles up in /tmp.
  CONTAINERS_CONF=${TMPDIR:-/tmp}/ldirectord-ts-containers-$(id -u)-$_nofile-$_nproc.conf
  cat > "$CONTAINERS_CONF.$$" <<CONF
[containers]
default_ulimits = ["nofile=$_nofile:$_nofile", "nproc=$_nproc:$_nproc"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
  mv -f "$CONTAINERS_CONF.$$" "$CONTAINERS_CONF"
  export CONTAINERS_CONF
  unset _nofile _nproc _half_pids
fi
