#!/bin/sh
# ocf-tester against the REAL kernel IPVS table (no --dry-run), inside the guest kernel:
#   scripts/guest/run --timeout 850 -- test/integration/guest-ocf.sh
# Takes several minutes under user-mode-linux (every agent action starts the CLI from the TypeScript sources),
# which is why it is not part of the guest jest suite. Exit status: ocf-tester's, or 1 if the IPVS table is not
# empty afterwards or the daemon's log lacks the programming/purge lines.
export LDIRECTORD_RUN_DIR=/run PATH=/usr/sbin:/usr/bin:/sbin:/bin OCF_ROOT=/usr/lib/ocf
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
D=$(mktemp -d)
printf 'checkinterval=1\nstatusaddress=none\nlogfile="%s/l.log"\nvirtual=127.0.0.1:8080\n\treal=127.0.0.2:8080 masq\n\tchecktype=on\n' "$D" > "$D/lvs.cf"
ocf-tester -n lvs -o configfile="$D/lvs.cf" -o ldirectord="$here/fixtures/ldirectord" "$root/scripts/ocf/ldirectord" || exit $?
left=$(ipvsadm -Sn)
[ -z "$left" ] || { echo "IPVS table not empty after the last stop:"; echo "$left"; exit 1; }
added=$(grep -c 'Added virtual server: 127.0.0.1:8080' "$D/l.log")
purged=$(grep -c 'Purged virtual server (stop): 127.0.0.1:8080' "$D/l.log")
echo "starts that programmed the table: $added, stops that purged it: $purged"
[ "$added" -ge 2 ] && [ "$added" -eq "$purged" ]
