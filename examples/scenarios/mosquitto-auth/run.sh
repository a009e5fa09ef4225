#!/usr/bin/env bash
# Collect demonstrations against an external Mosquitto broker with password authentication.
# Run from the repository root:  examples/scenarios/mosquitto-auth/run.sh [EPISODES] [OUT_DIR]
set -euo pipefail
EPISODES=${1:-3}
OUT=${2:-mosquitto-demos}
OPTIMUS=${OPTIMUS:-./optimus}
HERE=examples/scenarios/mosquitto-auth
mkdir -p /tmp/optimus-mosquitto "$OUT"

echo "== 1. a password file with user 'robot' (password from OPTIMUS_MQTT_PASSWORD, default s3cret)" >&2
export OPTIMUS_MQTT_PASSWORD=${OPTIMUS_MQTT_PASSWORD:-s3cret}
rm -f /tmp/optimus-mosquitto/passwd
mosquitto_passwd -c -b /tmp/optimus-mosquitto/passwd robot "$OPTIMUS_MQTT_PASSWORD"
chmod 0600 /tmp/optimus-mosquitto/passwd
# started as root, Mosquitto drops to its own user, which must be able to read the file
if [ "$(id -u)" = 0 ] && id mosquitto > /dev/null 2>&1; then chown mosquitto /tmp/optimus-mosquitto/passwd; fi

echo "== 2. Mosquitto: 18831 with authentication, 18832 loopback for the operator client" >&2
mosquitto -c "$HERE/mosquitto.conf" 2> "$OUT/mosquitto.log" &
BROKER=$!
trap 'kill $BRIDGE $BROKER 2>/dev/null || true' EXIT
BRIDGE=
sleep 1

echo "== 3. a wrong password is refused with a clear error" >&2
if OPTIMUS_MQTT_PASSWORD=wrong $OPTIMUS bridge --robot-id r1 --broker tcp://127.0.0.1:18831 --username robot \
    --duration 1 > /dev/null 2> "$OUT/wrong-password.err"; then
  echo "unexpected: the broker accepted a wrong password" >&2; exit 1
fi
grep -i "optimus bridge" "$OUT/wrong-password.err" | tail -1 >&2

echo "== 4. the robot bridge logs in as 'robot' and records into $OUT/episodes" >&2
$OPTIMUS bridge --robot-id r1 --broker tcp://127.0.0.1:18831 --username robot --record "$OUT/episodes" \
  > "$OUT/bridge.out" 2> "$OUT/bridge.err" &
BRIDGE=$!
for _ in $(seq 60); do grep -q "^bridge r1" "$OUT/bridge.out" 2>/dev/null && break; sleep 1; done

echo "== 5. the scripted VR operator does $EPISODES pick-and-place demonstrations, recording each" >&2
$OPTIMUS teleop --robot-id r1 --broker tcp://127.0.0.1:18832 --source scripted:pick-place \
  --episodes "$EPISODES" --record --operator-id alice > "$OUT/teleop.json"
cat "$OUT/teleop.json"

kill $BRIDGE; wait $BRIDGE 2>/dev/null || true
kill $BROKER; wait $BROKER 2>/dev/null || true
trap - EXIT
echo "== 6. the recordings" >&2
$OPTIMUS dataset validate "$OUT/episodes"
$OPTIMUS dataset info "$OUT/episodes" > "$OUT/episodes-info.json"
