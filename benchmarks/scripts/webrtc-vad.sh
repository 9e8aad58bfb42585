#!/usr/bin/env bash
# WebRTC's voice activity detector on exactly the scenarios of media-core's VAD figures (three
# passes of the speech clip, white noise at 20/10/5 dB under the active speech level, truth = the
# clean frame's energy above -45 dBFS), so the module README can set its accuracy beside WebRTC's
# measured on the same input. Prints frame accuracy per rate, SNR and WebRTC mode (0..3).
#
#   benchmarks/scripts/webrtc-vad.sh
#
# Needs `mvn -B -DskipTests package` first (benchmarks/target/benchmarks.jar), a C compiler and
# the Debian package libwebrtc-audio-processing-dev (WebRTC 0.3, the anchors' version).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
LIB=$(ls /usr/lib/*/libwebrtc_audio_processing.so.1 2>/dev/null | head -1)
[ -n "$LIB" ] || { echo "libwebrtc-audio-processing is not installed (apt-get install -y libwebrtc-audio-processing-dev)" >&2; exit 1; }
cc -O2 -o "$OUT/webrtc-vad" benchmarks/scripts/webrtc-vad.c "$LIB"
java -cp benchmarks/target/benchmarks.jar io.rvoip.media.processing.VoiceProcessingReport --vad-scenarios "$OUT"
for rate in 16000 8000; do
  for snr in clean 20 10 5; do
    line="$rate Hz, $snr:"
    for mode in 0 1 2 3; do
      acc=$("$OUT/webrtc-vad" "$OUT/vad-$rate-$snr.s16" "$rate" "$mode" | awk -v truth="$(cat "$OUT/vad-$rate.truth")" '
        { n = length(truth); ok = 0; for (i = 1; i <= n; i++) if (substr($0, i, 1) == substr(truth, i, 1)) ok++; printf "%.1f %%", 100 * ok / n }')
      line="$line  mode $mode $acc"
    done
    echo "WebRTC VAD $line"
  done
done
