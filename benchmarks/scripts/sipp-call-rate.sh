#!/usr/bin/env bash
# Call setup rate: SIPp's built-in `uac` against `rvoip uas` (auto-answer; every call gets a
# media session and RTP ports, and sends RTP to SIPp's SDP address until SIPp's BYE).
#
#   benchmarks/scripts/sipp-call-rate.sh RATE [CALLS] [reference]
#
# Needs `mvn -B -DskipTests package` first (examples/target/rvoip.jar) and SIPp (Debian
# sip-tester). With "reference" as the third argument, SIPp's own `uas` answers instead, the
# figure rvoip is compared with (shared/anchors/README.md). With "signalling", the benchmarks'
# SignallingUas answers: rvoip's transport, transaction and dialog layers without session-core
# and without media (the offered audio is rejected).
# UAS_ARGS adds options to `rvoip uas` (e.g. UAS_ARGS="--max-calls 2000"); JVM_OPTS replaces its
# JVM options (default -Xms512m -Xmx1g). WARMUP=N first runs
# N calls at the same rate that are not measured (the JIT compiles during the first minute).
# Prints: SIPp's successful/failed calls, the wall time, and for rvoip the CPU time per call
# (user + system of the JVM, from /proc) and the heap after the run.
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE=${1:?rate in calls/s}
CALLS=${2:-30000}
MODE=${3:-rvoip}
PORT=${PORT:-5070}
OUT=$(mktemp -d)
UAS=           # the rvoip server's pid
SIPP_UAS=      # set while the reference mode's daemonised SIPp server runs
# an interrupted run leaves no SIPp client, no server and no temp directory
trap 'pkill -f "sipp -sn uac 127.0.0.1:$PORT" || true
  if [ -n "$UAS" ]; then kill "$UAS" 2>/dev/null || true; fi
  if [ -n "$SIPP_UAS" ]; then pkill -f "sipp -sn uas -i 127.0.0.1 -p $PORT" || true; fi
  rm -rf "$OUT"' EXIT

if [ "$MODE" = reference ]; then
  SIPP_UAS=1
  sipp -sn uas -i 127.0.0.1 -p "$PORT" -nostdin -bg > /dev/null || true  # -bg exits 99
  sleep 1
else
  if [ "$MODE" = signalling ]; then
    java -Xms512m -Xmx1g -cp benchmarks/target/benchmarks.jar io.rvoip.bench.dialog.SignallingUas "$PORT" \
      > "$OUT/uas.log" 2>&1 &
  else
    java ${JVM_OPTS:--Xms512m -Xmx1g} -jar examples/target/rvoip.jar uas --listen "udp:127.0.0.1:$PORT" --rtp-ports 20000-39999 ${UAS_ARGS:-} \
      > "$OUT/uas.log" 2>&1 &
  fi
  UAS=$!
  for _ in $(seq 100); do grep -q "listening" "$OUT/uas.log" 2>/dev/null && break; sleep 0.1; done
  ticks() { awk '{print $14 + $15}' "/proc/$UAS/stat"; }
  if [ "${WARMUP:-0}" -gt 0 ]; then
    # a first run that is not measured, so the figures are the compiled code's, not the JIT's
    ( cd "$OUT" && sipp -sn uac "127.0.0.1:$PORT" -i 127.0.0.1 -p $((PORT + 10)) -r "$RATE" -m "$WARMUP" \
        -l $((RATE * 4)) -timeout 600s -timeout_error -nostdin -trace_stat -stf warmup.csv > warmup.out 2>&1 ) || true
    echo "warm-up: $(tail -1 "$OUT/warmup.csv" | awk -F';' '{print $16 " successful, " $18 " failed"}') (not measured)"
    sleep 2
  fi
  T0=$(ticks)
fi

START=$(date +%s.%N)
set +e
( cd "$OUT" && sipp -sn uac "127.0.0.1:$PORT" -i 127.0.0.1 -p $((PORT + 10)) -r "$RATE" -m "$CALLS" -l $((RATE * 4)) \
    -timeout 600s -timeout_error -nostdin -trace_stat -stf stat.csv -trace_err > sipp.out 2>&1 )
RC=$?
set -e
END=$(date +%s.%N)

STAT=$(ls "$OUT"/stat.csv 2>/dev/null || true)
OK=$(tail -1 "$STAT" | awk -F';' '{print $16}')
FAILED=$(tail -1 "$STAT" | awk -F';' '{print $18}')
echo "mode=$MODE rate=$RATE calls=$CALLS sipp_exit=$RC successful=$OK failed=$FAILED wall_s=$(echo "$END - $START" | bc)"

if [ "$MODE" = reference ]; then
  pkill -f "sipp -sn uas -i 127.0.0.1 -p $PORT" || true
  SIPP_UAS=
else
  T1=$(ticks)
  HZ=$(getconf CLK_TCK)
  echo "rvoip uas: cpu_ms_per_call=$(echo "scale=3; ($T1 - $T0) * 1000 / $HZ / $CALLS" | bc)"
  jcmd "$UAS" GC.run > /dev/null 2>&1 || true
  jcmd "$UAS" GC.heap_info 2>/dev/null | grep -E "garbage-first heap|used" | head -2 || true
  kill "$UAS"
  wait "$UAS" 2>/dev/null || true
  UAS=
fi
rm -rf "$OUT"
exit $RC
