#!/usr/bin/env bash
# A fleet on one broker: one MQTT broker, N simulated robots (r1..rN, each its own bridge process and
# recording folder) and N operators, each driving its own robot. Topics are per robot
# (optimus/v1/<robot-id>/...), so the robots never see each other's frames.
# Run from the repository root:  examples/scenarios/fleet/run.sh [N_ROBOTS] [EPISODES] [OUT_DIR]
set -euo pipefail
N=${1:-3}
EPISODES=${2:-1}
OUT=${3:-fleet-out}
OPTIMUS=${OPTIMUS:-./optimus}
PORT=${PORT:-18834}
BROKER=tcp://127.0.0.1:$PORT
mkdir -p "$OUT"
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT

echo "== 1. users (bridge-rK drives nothing but rK's body, operator opK drives rK only) and one broker on $BROKER" >&2
# one random password per client, in its own environment variable (never on a command line)
rm -f "$OUT/passwd"
for k in $(seq "$N"); do
  export "BRIDGE_PW_$k=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  export "OPERATOR_PW_$k=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  $OPTIMUS broker passwd "$OUT/passwd" "bridge-r$k" --role bridge --robots "r$k" --password-env "BRIDGE_PW_$k"
  $OPTIMUS broker passwd "$OUT/passwd" "op$k" --role operator --robots "r$k" --password-env "OPERATOR_PW_$k"
done
# embedded HiveMQ CE as its own process; every client logs in (Mosquitto: see ../mosquitto-auth)
$OPTIMUS broker --port "$PORT" --passwd "$OUT/passwd" > "$OUT/broker.out" 2> "$OUT/broker.err" &
PIDS+=($!)
for _ in $(seq 60); do grep -q "tcp://" "$OUT/broker.out" 2>/dev/null && break; sleep 1; done

echo "== 2. $N robots, each recording into $OUT/rK" >&2
for k in $(seq "$N"); do
  $OPTIMUS bridge --robot-id "r$k" --broker "$BROKER" --username "bridge-r$k" --password-env "BRIDGE_PW_$k" \
    --seed "$k" --record "$OUT/r$k" \
    > "$OUT/bridge-r$k.out" 2> "$OUT/bridge-r$k.err" &
  PIDS+=($!)
done
for k in $(seq "$N"); do
  for _ in $(seq 90); do grep -q "^bridge r$k" "$OUT/bridge-r$k.out" 2>/dev/null && break; sleep 1; done
done

echo "== 3. $N operators at once, operator opK drives rK ($EPISODES recorded episode(s) each)" >&2
OPS=()
for k in $(seq "$N"); do
  $OPTIMUS teleop --robot-id "r$k" --broker "$BROKER" --username "op$k" --password-env "OPERATOR_PW_$k" \
    --source scripted:pick-place \
    --episodes "$EPISODES" --seed "$k" --record > "$OUT/teleop-r$k.json" 2> "$OUT/teleop-r$k.err" &
  OPS+=($!)
done
for p in "${OPS[@]}"; do wait "$p"; done

kill "${PIDS[@]}" 2>/dev/null || true
wait 2>/dev/null || true
trap - EXIT
echo "== 4. per robot: what the operator did, and the recordings" >&2
for k in $(seq "$N"); do
  echo "-- r$k: $(tr -d '\n ' < "$OUT/teleop-r$k.json")"
  $OPTIMUS dataset validate "$OUT/r$k"
done
