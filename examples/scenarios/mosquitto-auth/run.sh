#!/usr/bin/env bash
# Collect demonstrations against an external Mosquitto broker where every client authenticates and
# an ACL keeps each one to its own role's topics (the same role table as `optimus broker --passwd`). Run from the repository root:
#   examples/scenarios/mosquitto-auth/run.sh [EPISODES] [OUT_DIR]
# Optional: POLICY_RUN=runs/my-policy also drives r1 with a trained policy for 20 s at the end.
set -euo pipefail
EPISODES=${1:-3}
OUT=${2:-mosquitto-demos}
OPTIMUS=${OPTIMUS:-./optimus}
HERE=examples/scenarios/mosquitto-auth
SHIPPED_ACL=robot-bridge/src/main/resources/io/optimus/bridge/broker/mosquitto/acl.example
BROKER=tcp://127.0.0.1:18831
mkdir -p /tmp/optimus-mosquitto "$OUT"

# One password per client, each in its own environment variable (never on a command line: `ps` shows those).
export BRIDGE_PASSWORD=${BRIDGE_PASSWORD:-bridge-s3cret}
export OPERATOR_PASSWORD=${OPERATOR_PASSWORD:-alice-s3cret}
export POLICY_PASSWORD=${POLICY_PASSWORD:-policy-s3cret}
export WRONG_PASSWORD=not-the-password

echo "== 1. users bridge-r1, alice (operator of r1), policy-r1; the shipped ACL (per-user roles, default deny)" >&2
rm -f /tmp/optimus-mosquitto/passwd
mosquitto_passwd -c -b /tmp/optimus-mosquitto/passwd bridge-r1 "$BRIDGE_PASSWORD"
mosquitto_passwd -b /tmp/optimus-mosquitto/passwd alice "$OPERATOR_PASSWORD"
mosquitto_passwd -b /tmp/optimus-mosquitto/passwd policy-r1 "$POLICY_PASSWORD"
cp "$SHIPPED_ACL" /tmp/optimus-mosquitto/acl
chmod 0600 /tmp/optimus-mosquitto/passwd /tmp/optimus-mosquitto/acl
# started as root, Mosquitto drops to its own user, which must be able to read the files
if [ "$(id -u)" = 0 ] && id mosquitto > /dev/null 2>&1; then
  chown mosquitto /tmp/optimus-mosquitto/passwd /tmp/optimus-mosquitto/acl
fi

echo "== 2. Mosquitto on 18831: no anonymous access" >&2
mosquitto -c "$HERE/mosquitto.conf" 2> "$OUT/mosquitto.log" &
MOSQUITTO=$!
BRIDGE=
trap 'kill $BRIDGE $MOSQUITTO 2>/dev/null || true' EXIT
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/18831) 2>/dev/null && break; sleep 0.1; done

echo "== 3. a wrong password, or none, is refused with one clear line" >&2
if $OPTIMUS bridge --robot-id r1 --broker $BROKER --username bridge-r1 --password-env WRONG_PASSWORD \
    --duration 1 > /dev/null 2> "$OUT/wrong-password.err"; then
  echo "unexpected: the broker accepted a wrong password" >&2; exit 1
fi
grep "optimus bridge" "$OUT/wrong-password.err" | tail -1 >&2
if $OPTIMUS teleop --robot-id r1 --broker $BROKER --source scripted:pick-place --duration 1 \
    > /dev/null 2> "$OUT/anonymous.err"; then
  echo "unexpected: the broker accepted an anonymous operator" >&2; exit 1
fi
grep "optimus teleop" "$OUT/anonymous.err" | tail -1 >&2

echo "== 4. the robot bridge logs in as bridge-r1 and records into $OUT/episodes" >&2
$OPTIMUS bridge --robot-id r1 --broker $BROKER --username bridge-r1 --password-env BRIDGE_PASSWORD --no-estop-connection \
  --record "$OUT/episodes" > "$OUT/bridge.out" 2> "$OUT/bridge.err" &
BRIDGE=$!
for _ in $(seq 60); do grep -q "^bridge r1" "$OUT/bridge.out" 2>/dev/null && break; sleep 1; done

echo "== 5. alice's scripted VR operator does $EPISODES pick-and-place demonstrations, recording each" >&2
$OPTIMUS teleop --robot-id r1 --broker $BROKER --username alice --password-env OPERATOR_PASSWORD \
  --operator-id alice --source scripted:pick-place --episodes "$EPISODES" --record > "$OUT/teleop.json"
cat "$OUT/teleop.json"

if [ -n "${POLICY_RUN:-}" ]; then
  echo "== 5b. the policy in $POLICY_RUN drives r1 for 20 s as policy-r1" >&2
  $OPTIMUS policy deploy --run "$POLICY_RUN" --robot-id r1 --broker $BROKER --username policy-r1 \
    --password-env POLICY_PASSWORD --duration 20 > "$OUT/policy.json"
  cat "$OUT/policy.json"
fi

kill $BRIDGE; wait $BRIDGE 2>/dev/null || true
kill $MOSQUITTO; wait $MOSQUITTO 2>/dev/null || true
trap - EXIT
echo "== 6. the recordings" >&2
$OPTIMUS dataset validate "$OUT/episodes"
$OPTIMUS dataset info "$OUT/episodes" > "$OUT/episodes-info.json"
