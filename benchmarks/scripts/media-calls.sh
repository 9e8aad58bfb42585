#!/usr/bin/env bash
# Concurrent media calls: N G.711 calls with RTP both ways through `rvoip uas --echo`, placed
# and measured by MediaCallsLoad in a second JVM on the same machine (both share the cores).
#
#   benchmarks/scripts/media-calls.sh N [SECONDS]
#   SHARED=32 benchmarks/scripts/media-calls.sh N [SECONDS]   # both sides on 32 shared RTP port pairs
#
# The window opens SETTLE seconds (default 20) after the last call is placed: both JVMs have
# compiled their media paths by then (with 6 s, the load generator still spent an eighth of a
# core in the JIT compiler during the window at 1,000 calls).
#
# Both JVMs run with JVM_OPTS (default: a 1 GB heap on transparent huge pages, touched at
# start-up). On this kind of VM a page touched for the first time costs a trip to the
# hypervisor; a server that has run for a minute has touched its heap, a JVM started for a 30 s
# measurement has not (without -XX:+AlwaysPreTouch the server took ≈ 3,000 page faults a second
# in the window at 1,000 calls). Huge pages cut the server's CPU by another ≈ 12 % (the media
# path touches a few KB per call per packet, spread over the heap: TLB misses).
#
# Needs `mvn -B -DskipTests package` first. Prints the load generator's line (loss, jitter, MOS
# of what came back, its CPU) and the server's CPU in cores over the same window.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:?number of calls}
SECONDS_HELD=${2:-30}
PORT=${PORT:-5070}
SHARED=${SHARED:-0}
SETTLE=${SETTLE:-20}
JVM_OPTS=${JVM_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseTransparentHugePages}
OUT=$(mktemp -d)
UAS=
LOAD=
# an interrupted run leaves no server or load generator running and no temp directory
trap 'for p in $LOAD $UAS; do kill "$p" 2>/dev/null || true; done; rm -rf "$OUT"' EXIT
java $JVM_OPTS -jar examples/target/rvoip.jar uas --listen "udp:127.0.0.1:$PORT" --echo --codecs PCMU \
  --rtp-ports 20000-29999 --status-every 1 --shared-rtp-ports "$SHARED" > "$OUT/uas.log" 2>&1 &
UAS=$!
for _ in $(seq 100); do grep -q "listening" "$OUT/uas.log" 2>/dev/null && break; sleep 0.1; done
ticks() { awk '{print $14 + $15}' "/proc/$UAS/stat"; }
java $JVM_OPTS -cp benchmarks/target/benchmarks.jar io.rvoip.bench.session.MediaCallsLoad "$N" "$SECONDS_HELD" \
  "sip:echo@127.0.0.1:$PORT" "$SHARED" "$SETTLE" > "$OUT/load.log" 2>&1 &
LOAD=$!
# the server's CPU over the load generator's window: calls placed at 100/s, then SETTLE s, then the window
sleep $(( N / 100 + 1 + SETTLE ))
skipped() { grep "status:" "$OUT/uas.log" | tail -1 | awk '{print $7}'; }
T0=$(ticks); W0=$(date +%s.%N); K0=$(skipped)
sleep "$SECONDS_HELD"
T1=$(ticks); W1=$(date +%s.%N); K1=$(skipped)
wait "$LOAD" || true
LOAD=
grep "calls=" "$OUT/load.log" || tail -20 "$OUT/load.log"
echo "server_cpu_cores=$(echo "scale=2; ($T1 - $T0) / $(getconf CLK_TCK) / ($W1 - $W0)" | bc) server_frames_skipped_in_window=$(( K1 - K0 ))"
kill "$UAS"; wait "$UAS" 2>/dev/null || true
UAS=
grep "rvoip uas:" "$OUT/uas.log" || true   # the server's summary: calls, media frames its clock skipped
rm -rf "$OUT"
