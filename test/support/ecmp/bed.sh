#!/usr/bin/env bash
# The ECMP bed in the guest kernel (test/guest/ecmp): a router running BIRD 2 (eBGP with both directors, hold
# time 3 s, multipath), two directors each running ldirectord-ts and ExaBGP (whose process is our
# ldirectord-exabgp: docs/decisions/013-bgp-announce.md), two real servers (direct routing), one client.
#
#   lan (bridge br0, 10.0.0.0/24): rt .1   d1 .11   d2 .12   r1 .21   r2 .22
#   cl 10.0.9.2 ── 10.0.9.1 rt          VIP 10.10.10.10/32 (on lo of d1, d2, r1, r2)
#
#   bed.sh up DIR            namespaces, links, real servers, BIRD
#   bed.sh director N DIR    starts ldirectord-ts and ExaBGP on director N (1|2)
#   bed.sh kill N DIR        SIGKILL of director N's ldirectord-ts and ExaBGP (and its ExaBGP process)
#   bed.sh killdaemon N DIR  SIGKILL of director N's ldirectord-ts only
#   bed.sh nexthops          the router's next hops for the VIP, one per line (none: no route)
#   bed.sh down DIR          kills everything the bed started, deletes the namespaces
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/../../.." && pwd -P)
VIP=10.10.10.10
node=$(command -v node)

nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
bg() { # bg NAME NS CMD... : start in the background, pid in DIR/NAME.pid, output in DIR/NAME.log
  local name=$1 ns=$2; shift 2
  ip netns exec "$ns" setsid "$@" >"$dir/$name.log" 2>&1 </dev/null &
  echo $! >"$dir/$name.pid"
}
# A FIFO nobody writes to: `read -t` on it is a pause without a sleep process per poll.
pause=$(mktemp -u /tmp/bed-pause.XXXXXX)
mkfifo "$pause"
exec 9<>"$pause"
rm -f "$pause"
wait_for() { # wait_for WHAT COMMAND...: polls every 0.1 s for up to 60 s
  local what=$1 i; shift
  for ((i = 0; i < 600; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    read -r -t 0.1 -u 9 || true
  done
  echo "bed: timed out waiting for $what" >&2
  return 1
}

up() {
  mkdir -p "$dir"
  for ns in lan rt cl d1 d2 r1 r2; do ip netns add "$ns"; nsx "$ns" ip link set lo up; done
  nsx lan ip link add br0 type bridge
  nsx lan ip link set br0 up
  local ns addr
  for pair in rt:10.0.0.1 d1:10.0.0.11 d2:10.0.0.12 r1:10.0.0.21 r2:10.0.0.22; do
    ns=${pair%%:*} addr=${pair#*:}
    ip link add "l-$ns" netns lan type veth peer name eth0 netns "$ns"
    nsx lan ip link set "l-$ns" master br0 up
    nsx "$ns" ip addr add "$addr/24" dev eth0
    nsx "$ns" ip link set eth0 up
  done
  ip link add c-rt netns rt type veth peer name eth0 netns cl
  nsx rt ip addr add 10.0.9.1/24 dev c-rt
  nsx rt ip link set c-rt up
  nsx cl ip addr add 10.0.9.2/24 dev eth0
  nsx cl ip link set eth0 up
  nsx cl ip route add default via 10.0.9.1
  # The probes bind 41000-41015; the counting loop's ephemeral ports must never take one of them.
  nsx cl sysctl -qw net.ipv4.ip_local_port_range='42000 60999'
  nsx rt sysctl -qw net.ipv4.ip_forward=1
  # Flows, not packets, pick the next hop: hash on addresses, protocol and ports (the issue's pitfall: policy 1
  # reuses a local socket's hash; policy 3 with explicit fields is the recommended router setup).
  if nsx rt sysctl -qw net.ipv4.fib_multipath_hash_policy=3 2>/dev/null; then
    nsx rt sysctl -qw net.ipv4.fib_multipath_hash_fields=0x3f
  else
    nsx rt sysctl -qw net.ipv4.fib_multipath_hash_policy=1
  fi
  for ns in d1 d2 r1 r2; do
    nsx "$ns" ip addr add "$VIP/32" dev lo
    nsx "$ns" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2
  done
  for ns in r1 r2; do nsx "$ns" ip route add default via 10.0.0.1; done
  for ns in d1 d2; do
    nsx "$ns" ip route add default via 10.0.0.1
    # mh: the same real server for a flow on every director; sloppy_tcp: a director that gets a flow mid-way
    # (after an ECMP rehash) takes it up without having seen its SYN.
    nsx "$ns" sysctl -qw net.ipv4.vs.sloppy_tcp=1 2>/dev/null || true
  done
  bg r1 r1 "$node" "$here/real-server.js" r1 "$dir"
  bg r2 r2 "$node" "$here/real-server.js" r2 "$dir"
  cat >"$dir/bird.conf" <<BIRD
router id 10.0.0.1;
log "$dir/bird-rt.log" all;
protocol device { }
protocol kernel { ipv4 { export all; }; merge paths on; }
template bgp director { local 10.0.0.1 as 65000; hold time 3; connect retry time 1; error wait time 1, 2;
  ipv4 { import all; export none; }; }
protocol bgp d1 from director { neighbor 10.0.0.11 as 65001; }
protocol bgp d2 from director { neighbor 10.0.0.12 as 65001; }
BIRD
  bg bird rt bird -f -c "$dir/bird.conf" -s "$dir/bird.ctl" -P "$dir/bird.pidfile"
  wait_for "the real servers" grep -q listening "$dir/r1.log"
  wait_for "the real servers" grep -q listening "$dir/r2.log"
  wait_for "BIRD's control socket" test -S "$dir/bird.ctl"
}

director() {
  local n=$1 ddir="$dir/d$1" addr="10.0.0.1$1" f
  for f in dist/cli/main.js dist/announce/exabgp-process.js; do
    [ -f "$here/../../../$f" ] || { echo "bed.sh: $f is missing: run npm run build first" >&2; exit 1; }
  done
  mkdir -p "$ddir"
  cat >"$ddir/ldirectord.cf" <<CF
checkinterval=1
# A broken path answers 503 at once (detection: checkinterval); 3 s lets a loaded guest answer late without a
# false down on both directors at once (seen with 1 s at a host load average of 9: both withdrawn together).
checktimeout=3
quiescent=no
cleanstop=no
statusaddress=127.0.0.1:9186
logfile="$ddir/ldirectord.log"
announce=yes
announcesocket=$ddir/announce.sock
# The sync story (port 9000): rr sends a moved flow anywhere, so only the synced entry keeps it on its server.
syncdaemon=both
syncinterface=eth0
syncid=9
virtual=$VIP:80
	real=10.0.0.21:80 gate 1
	real=10.0.0.22:80 gate 1
	checktype=negotiate
	service=http
	request="/health"
	receive="ok"
	scheduler=mh
	schedflags=mh-port
virtual=$VIP:9000
	real=10.0.0.21:9000 gate 1
	real=10.0.0.22:9000 gate 1
	checktype=connect
	scheduler=rr
CF
  cat >"$ddir/exabgp.conf" <<EXA
process ldirectord {
  run $node $repo/dist/announce/exabgp-process.js --socket $ddir/announce.sock;
  encoder text;
}
neighbor 10.0.0.1 {
  router-id $addr;
  local-address $addr;
  local-as 65001;
  peer-as 65000;
  hold-time 3;
  api { processes [ ldirectord ]; }   # ExaBGP 4 takes a process's commands only for neighbors that name it
}
EXA
  bg "d$n-ldirectord" "d$n" "$node" "$repo/bin/ldirectord" -d "$ddir/ldirectord.cf" start
  bg "d$n-exabgp" "d$n" env exabgp.daemon.user=root exabgp.daemon.drop=false exabgp.daemon.daemonize=false \
    exabgp.api.cli=false exabgp.log.destination=stdout exabgp.tcp.delay=0 exabgp "$ddir/exabgp.conf"
}

kill_pids() { local f; for f in "$@"; do [ -f "$f" ] && kill -KILL -- "-$(cat "$f")" 2>/dev/null || true; done; }

case "${1:-}" in
  up) dir=$2; up ;;
  director) dir=$3; director "$2" ;;
  kill) dir=$3; kill_pids "$dir/d$2-ldirectord.pid" "$dir/d$2-exabgp.pid" ;;
  killdaemon) dir=$3; kill_pids "$dir/d$2-ldirectord.pid" ;;
  nexthops) ip -n rt route show "$VIP" | grep -o 'via [0-9.]*' | cut -d' ' -f2 | sort || true ;;
  down)
    dir=$2
    for f in "$dir"/*.pid; do [ -f "$f" ] && kill -KILL -- "-$(cat "$f")" 2>/dev/null || true; done
    for ns in lan rt cl d1 d2 r1 r2; do ip netns del "$ns" 2>/dev/null || true; done ;;
  *) echo "usage: bed.sh up|director|kill|killdaemon|nexthops|down ..." >&2; exit 2 ;;
esac
