#!/usr/bin/env bash
# Concurrent signalling-only calls: SIPp's built-in `uac` sets up CALLS calls at RATE calls/s
# and holds each for HOLD_S seconds (no media) against the benchmarks' SignallingUas
# (transport + transactions + dialogs, the offered audio rejected, so no RTP resources).
# After every call is up, it waits SETTLE_S seconds (past RFC 6026's 32 s Timer L, so the
# INVITE server transactions are gone and only the dialogs are left), forces a full GC and
# reports the heap per held call against the heap before the first call.
#
#   benchmarks/scripts/sipp-hold-calls.sh CALLS [RATE] [HEAP]
#
# Needs `mvn -B -DskipTests package` first (benchmarks/target/benchmarks.jar) and SIPp.
set -euo pipefail
cd "$(dirname "$0")/../.."
CALLS=${1:?number of calls}
RATE=${2:-1000}
HEAP=${3:-2g}
SETTLE_S=${SETTLE_S:-40}
PORT=${PORT:-5080}
HOLD_S=$((CALLS / RATE + SETTLE_S + 60))
OUT=$(mktemp -d)

java -Xms"$HEAP" -Xmx"$HEAP" -cp benchmarks/target/benchmarks.jar io.rvoip.bench.dialog.SignallingUas "$PORT" \
  > "$OUT/uas.log" 2>&1 &
UAS=$!
trap 'kill $UAS 2>/dev/null || true; pkill -f "sipp -sn uac 127.0.0.1:$PORT" 2>/dev/null || true; rm -rf "$OUT"' EXIT
for _ in $(seq 100); do grep -q "listening" "$OUT/uas.log" 2>/dev/null && break; sleep 0.1; done
used_kb() {
  jcmd "$UAS" GC.run > /dev/null
  jcmd "$UAS" GC.heap_info | awk '/garbage-first heap/ {for (i = 1; i <= NF; i++) if ($i == "used") {sub("K,?", "", $(i+1)); print $(i+1)}}'
}
sleep 2
BEFORE=$(used_kb)

( cd "$OUT" && sipp -sn uac "127.0.0.1:$PORT" -i 127.0.0.1 -p $((PORT + 10)) -r "$RATE" -m "$CALLS" -l "$CALLS" \
    -d $((HOLD_S * 1000)) -nostdin -bg -trace_stat -stf stat.csv -fd 1 > sipp.out 2>&1 ) || true  # -bg exits 99

# wait until every call is answered (the UAS's dialog count reaches CALLS), then settle
for _ in $(seq $((CALLS / RATE * 10 + 600))); do
  LAST=$(grep -o 'dialogs=[0-9]*' "$OUT/uas.log" | tail -1 | cut -d= -f2)
  [ "${LAST:-0}" -ge "$CALLS" ] && break
  sleep 0.1
done
sleep "$SETTLE_S"
AFTER=$(used_kb)
STATUS=$(tail -1 "$OUT/uas.log")
FAILED=$(tail -1 "$OUT/stat.csv" | awk -F';' '{print $18}')
echo "calls=$CALLS rate=$RATE heap=$HEAP $STATUS sipp_failed=$FAILED"
echo "heap used before=${BEFORE}K after=${AFTER}K per_call=$(( (AFTER - BEFORE) * 1024 / CALLS )) B"
