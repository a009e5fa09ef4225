// Replay of a recorded episode (MCAP), decoded in the browser: @mcap/core reads the file (zstd chunks
// through fzstd), protobufjs decodes each channel with the schema the file itself carries.
import { McapIndexedReader } from "@mcap/core";
import { decompress } from "fzstd";
import protobuf from "protobufjs/light.js";
import "protobufjs/ext/descriptor/index.js";

export const MAX_BYTES = 1 << 30; // a browser tab holds the whole file; refuse what it cannot

/** Reads the episode: {header, states: [{t, msg}], events, tasks, cameras: Map(name -> [{t,msg}])}. */
export async function readEpisode(bytes) {
  const readable = {
    size: async () => BigInt(bytes.byteLength),
    read: async (offset, length) => bytes.subarray(Number(offset), Number(offset + length)),
  };
  const reader = await McapIndexedReader.Initialize({
    readable,
    decompressHandlers: { zstd: (buf, size) => decompress(buf, new Uint8Array(Number(size))) },
  });
  const types = new Map();
  for (const s of reader.schemasById.values()) {
    if (s.encoding !== "protobuf") continue;
    try {
      types.set(s.id, protobuf.Root.fromDescriptor(s.data).lookupType(s.name));
    } catch (e) {
      console.warn(`replay: schema ${s.name} not decodable: ${e.message}`);
    }
  }
  const ep = { header: null, states: [], events: [], tasks: [], cameras: new Map(), t0: null };
  for await (const m of reader.readMessages()) {
    const ch = reader.channelsById.get(m.channelId);
    const type = types.get(ch.schemaId);
    if (!type) continue;
    const t = Number(m.logTime) / 1e9;
    if (ep.t0 == null) ep.t0 = t;
    const topic = ch.topic;
    if (topic === "/state") ep.states.push({ t, msg: type.decode(m.data) });
    else if (topic === "/episode/header") ep.header = type.decode(m.data);
    else if (topic === "/safety/event") ep.events.push({ t, msg: type.decode(m.data) });
    else if (topic === "/task") ep.tasks.push({ t, msg: type.decode(m.data) });
    else if (topic.startsWith("/camera/") && topic.split("/").length === 3) {
      const name = topic.slice("/camera/".length);
      if (!ep.cameras.has(name)) ep.cameras.set(name, []);
      ep.cameras.get(name).push({ t, msg: type.decode(m.data) });
    }
  }
  if (!ep.header) throw new Error("no /episode/header in this file: not an optimus episode");
  if (!ep.states.length) throw new Error("no /state messages in this episode");
  return ep;
}

/** The last entry of a time-sorted list at or before t (binary search), or null. */
export function at(list, t) {
  let lo = 0;
  let hi = list.length - 1;
  let best = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].t <= t) { best = list[mid]; lo = mid + 1; } else hi = mid - 1;
  }
  return best;
}
