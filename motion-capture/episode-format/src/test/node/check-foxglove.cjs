// Checks an episode's Foxglove 3D scene with the official readers: every message is read with @mcap/core
// (McapIndexedReader, CRCs checked); every channel whose schema is foxglove.* is decoded twice, with the
// descriptor embedded in the file and with Foxglove's own published definition of that schema
// (@foxglove/schemas, rendered to .proto by its generateProto and parsed by protobufjs), and both
// decodings must agree; every other protobuf message is decoded with its embedded descriptor. Then the
// transforms (foxglove.FrameTransforms on any channel) must form one tree: every child has exactly one
// parent over the whole file, no cycles, one root; every frame_id the scene uses (entities, images,
// calibrations, poses) is in it; translations finite, rotations unit quaternions. The display URDF on
// /robot_description (what Foxglove's URDF layer reads: a message with a string field `data`) must be
// standard URDF (no <capsule>) whose every link is a frame of that tree.
// Prints a JSON summary for the Java test (FoxgloveSceneInteropTest); exits 1 on a read failure.
const fs = require("node:fs/promises");
const { McapIndexedReader } = require("@mcap/core");
const { loadDecompressHandlers, protobufFromBinaryDescriptor } = require("@mcap/support");
const { foxgloveMessageSchemas, foxgloveEnumSchemas, generateProto } = require("@foxglove/schemas/internal");
const protobuf = require("protobufjs");

function foxgloveRoot() {
  const root = new protobuf.Root();
  for (const file of ["google/protobuf/timestamp.proto", "google/protobuf/duration.proto"]) {
    root.addJSON(protobuf.common.get(file).nested);
  }
  for (const schema of Object.values(foxgloveMessageSchemas)) {
    const enums = Object.values(foxgloveEnumSchemas).filter((e) => e.parentSchemaName === schema.name);
    protobuf.parse(generateProto(schema, enums), root, { keepCase: true });
  }
  root.resolveAll();
  return root;
}

/** Where two decodings differ (a path), or null. A field only Foxglove's schema has must hold its default. */
function difference(ours, theirs, path) {
  if (ours === null || typeof ours !== "object") {
    const same = ours === theirs || (Number.isNaN(ours) && Number.isNaN(theirs));
    return same ? null : path || "/";
  }
  if (Array.isArray(ours)) {
    if (!Array.isArray(theirs) || theirs.length !== ours.length) return path + "[]";
    for (let i = 0; i < ours.length; i++) {
      const d = difference(ours[i], theirs[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  if (theirs === null || typeof theirs !== "object") return path || "/";
  for (const k of Object.keys(ours)) {
    if (!(k in theirs)) return `${path}/${k} (a field Foxglove's schema lacks)`;
    const d = difference(ours[k], theirs[k], `${path}/${k}`);
    if (d !== null) return d;
  }
  for (const k of Object.keys(theirs)) {
    if (!(k in ours) && !isDefault(theirs[k])) return `${path}/${k} (set, but not in our schema)`;
  }
  return null;
}

function isDefault(v) {
  if (v === null || v === undefined || v === "" || v === 0 || v === "0" || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === "object" && Object.values(v).every(isDefault);
}

const OBJECT = { longs: String, enums: String, bytes: String, defaults: true, arrays: true };

async function main() {
  const path = process.argv[2];
  const handle = await fs.open(path, "r");
  const size = (await handle.stat()).size;
  const readable = {
    size: async () => BigInt(size),
    read: async (offset, length) => {
      const buf = Buffer.alloc(Number(length));
      await handle.read(buf, 0, Number(length), Number(offset));
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    },
  };
  const reader = await McapIndexedReader.Initialize({ readable, decompressHandlers: await loadDecompressHandlers() });
  const published = foxgloveRoot();
  const embedded = new Map();
  const foxglove = new Map();
  for (const schema of reader.schemasById.values()) {
    embedded.set(schema.id, protobufFromBinaryDescriptor(schema.data).lookupType(schema.name));
    if (schema.name.startsWith("foxglove.")) {
      foxglove.set(schema.id, published.lookupType(schema.name)); // throws for a name Foxglove does not publish
    }
  }
  const problems = [];
  const problem = (p) => { if (problems.length < 50) problems.push(p); };
  const topics = {};
  const parents = new Map(); // child -> Set(parent)
  const usedFrames = new Map(); // frame_id -> first topic using it
  let transforms = 0;
  let urdf = null;
  const use = (frame, topic) => { if (!usedFrames.has(frame)) usedFrames.set(frame, topic); };
  for await (const msg of reader.readMessages()) {
    const channel = reader.channelsById.get(msg.channelId);
    const type = embedded.get(channel.schemaId);
    const decoded = type.toObject(type.decode(msg.data), OBJECT);
    const schema = type.fullName.replace(/^\./, "");
    const t = (topics[channel.topic] ??= { count: 0, schema, foxgloveChecked: 0 });
    t.count++;
    const fox = foxglove.get(channel.schemaId);
    if (fox) {
      const theirs = fox.toObject(fox.decode(msg.data), OBJECT);
      const diff = difference(decoded, theirs, "");
      if (diff !== null) {
        problem(`${channel.topic}: decodes differently with Foxglove's published ${schema} at ${diff}`);
      } else {
        t.foxgloveChecked++;
      }
    }
    if (schema === "foxglove.FrameTransforms") {
      for (const tf of decoded.transforms) {
        transforms++;
        if (!tf.parent_frame_id || !tf.child_frame_id) problem(`${channel.topic}: transform with an empty frame id`);
        (parents.get(tf.child_frame_id) ?? parents.set(tf.child_frame_id, new Set()).get(tf.child_frame_id))
          .add(tf.parent_frame_id);
        const v = tf.translation, q = tf.rotation;
        if (![v.x, v.y, v.z, q.x, q.y, q.z, q.w].every(Number.isFinite)) {
          problem(`${channel.topic}: non-finite transform ${tf.parent_frame_id} -> ${tf.child_frame_id}`);
        } else if (Math.abs(Math.hypot(q.x, q.y, q.z, q.w) - 1) > 1e-6) {
          problem(`${channel.topic}: rotation of ${tf.child_frame_id} is not a unit quaternion`);
        }
      }
    } else if (channel.topic === "/robot_description") {
      if (typeof decoded.data !== "string" || !decoded.data.includes("<robot")) {
        problem(`${channel.topic}: no URDF text in field data`);
      } else {
        urdf = decoded.data;
      }
    } else if (schema === "foxglove.SceneUpdate") {
      for (const e of decoded.entities) use(e.frame_id, channel.topic);
    } else if (schema.startsWith("foxglove.") && typeof decoded.frame_id === "string") {
      use(decoded.frame_id, channel.topic);
    }
  }
  await handle.close();

  // The tree: one parent per child, no cycle (over every parent edge seen), one root.
  const frames = new Set();
  for (const [child, ps] of parents) {
    if (ps.size !== 1) problem(`frame ${child} has ${ps.size} parents: ${[...ps].join(", ")}`);
    frames.add(child);
    ps.forEach((p) => frames.add(p));
  }
  const state = new Map(); // frame -> 1 visiting, 2 done
  const visit = (f) => {
    state.set(f, 1);
    for (const p of parents.get(f) ?? []) {
      if (state.get(p) === 1) problem(`cycle through ${p}`);
      else if (!state.has(p)) visit(p);
    }
    state.set(f, 2);
  };
  for (const frame of frames) if (!state.has(frame)) visit(frame);
  const roots = new Set([...frames].filter((f) => !parents.has(f)));
  for (const [frame, topic] of usedFrames) {
    if (!frames.has(frame)) problem(`${topic} uses frame ${frame}, which no transform reaches`);
  }
  let urdfSummary = null;
  if (urdf !== null) {
    const links = [...urdf.matchAll(/<link\s+name="([^"]*)"/g)].map((m) => m[1]);
    const tags = new Set([...urdf.matchAll(/<([A-Za-z_][\w.-]*)/g)].map((m) => m[1]));
    const standard = new Set(["robot", "link", "joint", "inertial", "origin", "mass", "inertia", "visual",
      "collision", "geometry", "box", "cylinder", "sphere", "mesh", "material", "color", "texture", "parent", "child",
      "axis", "calibration", "dynamics", "limit", "mimic", "safety_controller"]);
    const nonStandard = [...tags].filter((t) => !standard.has(t));
    if (nonStandard.length) problem(`/robot_description: non-standard URDF elements ${nonStandard.join(", ")}`);
    const missing = links.filter((l) => !frames.has(l));
    if (missing.length) problem(`/robot_description: links without a transform: ${missing.slice(0, 10).join(", ")}`);
    urdfSummary = { links: links.length, cylinders: (urdf.match(/<cylinder /g) ?? []).length,
      spheres: (urdf.match(/<sphere /g) ?? []).length };
  }
  console.log(JSON.stringify({
    urdf: urdfSummary,
    topics,
    frames: [...frames].sort(),
    roots: [...roots].sort(),
    transforms,
    usedFrames: Object.fromEntries(usedFrames),
    problems,
  }));
}

main().catch((e) => {
  console.error(String(e && e.stack ? e.stack : e));
  process.exit(1);
});
