#!/usr/bin/env bash
# Mimicry from a BVH clip, two ways:
#  A. offline: retarget the clip onto the robot with the whole-body IK into an episode (MCAP);
#  B. live: a bridge on a simulated robot, driven by the clip as an operator stream over MQTT,
#     recording what the robot really did (safety supervisor, velocity limits and all).
# Run from the repository root:  examples/scenarios/bvh-mimicry/run.sh [CLIP.bvh] [OUT_DIR]
set -euo pipefail
CLIP=${1:-../shared/data/mocap/cmu_02_06_bend_scoop_up_lift_arm__iclone.bvh}
OUT=${2:-bvh-mimicry-out}
OPTIMUS=${OPTIMUS:-./optimus}
PORT=${PORT:-18830}
mkdir -p "$OUT"

echo "== A1. what is in the clip" >&2
$OPTIMUS mocap info "$CLIP" > "$OUT/clip-info.json"

echo "== A2. retarget it onto the optimus model (episode with source kind MOCAP)" >&2
$OPTIMUS mocap retarget --bvh "$CLIP" --robot optimus --out "$OUT/retargeted.mcap" > "$OUT/retarget.json"

echo "== B1. a simulated robot 'mimic' with an embedded broker on port $PORT, recording into $OUT/live" >&2
$OPTIMUS bridge --robot-id mimic --port "$PORT" --task none --unattended --record "$OUT/live" --duration 60 > "$OUT/bridge.out" &
BRIDGE=$!
trap 'kill $BRIDGE 2>/dev/null || true' EXIT
for _ in $(seq 60); do grep -q "^bridge mimic" "$OUT/bridge.out" 2>/dev/null && break; sleep 1; done

echo "== B2. the clip drives the robot live over MQTT (recorded as one episode)" >&2
$OPTIMUS teleop --robot-id mimic --broker "tcp://127.0.0.1:$PORT" --source "bvh:$CLIP" --operator-id mocap --record \
  > "$OUT/teleop.json"
kill $BRIDGE; wait $BRIDGE 2>/dev/null || true
trap - EXIT

echo "== results" >&2
$OPTIMUS dataset validate "$OUT/live"
echo "retarget report: $OUT/retarget.json (tracking error per keypoint, slow-down used)" >&2
echo "episodes: $OUT/retargeted.mcap (offline IK) and $OUT/live/*.mcap (what the robot did); open both in Foxglove" >&2
