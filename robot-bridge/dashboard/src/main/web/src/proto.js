// The project's wire schemas (proto/src/main/proto/optimus/v1), compiled to JSON at build time.
import protobuf from "protobufjs/light.js";
import schema from "../target-gen/optimus-proto.json";

// 64-bit integers as JS numbers: nanosecond stamps lose < 1 us, sequences stay exact below 2^53.
protobuf.util.Long = undefined;
protobuf.configure();

export const root = protobuf.Root.fromJSON(schema);
const type = (name) => root.lookupType(`optimus.v1.${name}`);
// messages newer than some checkouts of the schemas: absent means the topic is not decoded
const optionalType = (name) => {
  try {
    return type(name);
  } catch {
    return null;
  }
};
export const T = {
  BridgeStatus: type("BridgeStatus"),
  SafetyStatus: type("SafetyStatus"),
  SafetyEvent: type("SafetyEvent"),
  JointState: type("JointState"),
  RobotDescription: type("RobotDescription"),
  CameraFrame: type("CameraFrame"),
  VideoFrame: type("VideoFrame"),
  TaskState: type("TaskState"),
  ControlRequest: type("ControlRequest"),
  ControlReply: type("ControlReply"),
  ShadowSummary: optionalType("ShadowSummary"),
};
// protobufjs generates a type's encoder on its first use: the first e-stop must not wait for that.
T.ControlRequest.encode(T.ControlRequest.create({ estop: { reason: "" } })).finish();
const enumOf = (name) => root.lookupEnum(`optimus.v1.${name}`);
const ControlMode = enumOf("ControlMode");
const SafetyEventType = enumOf("SafetyEventType");
const ImageEncoding = enumOf("ImageEncoding");

export const decode = (t, bytes) => t.decode(bytes);
export const num = (x) => (x == null ? 0 : typeof x === "number" ? x : Number(x));

/** "ENGAGED", "ESTOP", ... from a ControlMode value. */
export function modeName(v) {
  const n = ControlMode.valuesById[v] || "CONTROL_MODE_UNSPECIFIED";
  return n.replace("CONTROL_MODE_", "");
}
export function eventName(v) {
  return (SafetyEventType.valuesById[v] || String(v)).replace("SAFETY_EVENT_TYPE_", "").replace("SAFETY_EVENT_", "");
}
export const ENCODING = { RGB8: ImageEncoding.values.IMAGE_ENCODING_RGB8, MONO8: ImageEncoding.values.IMAGE_ENCODING_MONO8,
  JPEG: ImageEncoding.values.IMAGE_ENCODING_JPEG, PNG: ImageEncoding.values.IMAGE_ENCODING_PNG };
export const MODE = Object.fromEntries(Object.entries(ControlMode.values).map(([k, v]) => [k.replace("CONTROL_MODE_", ""), v]));

/** A ControlRequest (e-stop, reset) as the bridge expects it, {bytes, requestId}; identity is the login, never this payload. */
export function controlRequest(requester, body) {
  const nowMs = Date.now();
  const requestId = `dash-${nowMs.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const bytes = T.ControlRequest.encode(T.ControlRequest.create({
    schemaVersion: 1,
    requestId,
    requester,
    stamp: { wallNs: nowMs * 1e6 },
    ...body,
  })).finish();
  return { bytes, requestId };
}
