#!/usr/bin/env bash
# Shadow mode: a trained policy runs beside a human operator on the same robot. It never commands;
# it logs its disagreement with what the operator commands, per step and per engaged episode, and
# flags the episodes where it disagrees most (the ones worth recording and learning from).
# Run from the repository root:  examples/scenarios/shadow-mode/run.sh [POLICY_RUN] [OUT_DIR]
# POLICY_RUN defaults to the policy of `./optimus demo --quick --out optimus-demo-quick`.
set -euo pipefail
RUN=${1:-optimus-demo-quick/policy}
OUT=${2:-shadow-out}
OPTIMUS=${OPTIMUS:-./optimus}
PORT=${PORT:-18833}
if [ ! -f "$RUN/policy.json" ]; then
  echo "no trained policy in $RUN: run ./optimus demo --quick --out optimus-demo-quick first" >&2
  exit 2
fi
mkdir -p "$OUT"

echo "== 1. robot 'r1' (simulated) with an embedded broker on port $PORT; the operator has the controls" >&2
$OPTIMUS bridge --robot-id r1 --port "$PORT" --record "$OUT/episodes" > "$OUT/bridge.out" 2> "$OUT/bridge.err" &
BRIDGE=$!
SHADOW=
trap 'kill $SHADOW $BRIDGE 2>/dev/null || true' EXIT
for _ in $(seq 60); do grep -q "^bridge r1" "$OUT/bridge.out" 2>/dev/null && break; sleep 1; done

echo "== 2. the policy shadows r1 (never commands), logging into $OUT/shadow" >&2
$OPTIMUS policy deploy --run "$RUN" --robot-id r1 --broker "tcp://127.0.0.1:$PORT" --shadow \
  --shadow-dir "$OUT/shadow" --flag-threshold 0.1 --duration 75 > "$OUT/shadow.json" 2> "$OUT/shadow.err" &
SHADOW=$!
sleep 5

echo "== 3. the operator (here the scripted VR operator; a headset: --source openxr) does 2 episodes" >&2
$OPTIMUS teleop --robot-id r1 --broker "tcp://127.0.0.1:$PORT" --source scripted:pick-place --episodes 2 \
  --record --operator-id alice > "$OUT/teleop.json"

kill -INT $SHADOW 2>/dev/null || true
wait $SHADOW 2>/dev/null || true
kill $BRIDGE; wait $BRIDGE 2>/dev/null || true
trap - EXIT
echo "== 4. what the shadow saw" >&2
cat "$OUT/shadow.json" 2>/dev/null || true
echo "per-episode disagreement: $OUT/shadow/episodes.jsonl; per step: $OUT/shadow/episode-N.csv" >&2
cat "$OUT/shadow/episodes.jsonl"
