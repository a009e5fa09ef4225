// Reads an MCAP file with the official TypeScript reader (@mcap/core) twice: through the index
// (McapIndexedReader, summary CRC checked, chunk CRCs checked) and as a stream (McapStreamReader with
// CRC validation), decodes every protobuf message with the schema embedded in the file
// (@mcap/support protobufFromBinaryDescriptor) and prints a JSON summary for McapInteropTest.
const fs = require("node:fs/promises");
const { McapIndexedReader, McapStreamReader } = require("@mcap/core");
const { loadDecompressHandlers, protobufFromBinaryDescriptor } = require("@mcap/support");

async function main() {
  const path = process.argv[2];
  const decompressHandlers = await loadDecompressHandlers();
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
  const reader = await McapIndexedReader.Initialize({ readable, decompressHandlers });
  const types = new Map();
  for (const schema of reader.schemasById.values()) {
    if (schema.encoding !== "protobuf") throw new Error(`schema ${schema.name}: encoding ${schema.encoding}`);
    types.set(schema.id, protobufFromBinaryDescriptor(schema.data).lookupType(schema.name));
  }
  const topics = {};
  let lastLogTime = -1n;
  let ordered = true;
  for await (const msg of reader.readMessages()) {
    const channel = reader.channelsById.get(msg.channelId);
    const type = types.get(channel.schemaId);
    const decoded = type.toObject(type.decode(msg.data), { longs: String, enums: String, bytes: String });
    const t = (topics[channel.topic] ??= { count: 0, schema: type.fullName.replace(/^\./, ""), first: null });
    if (t.first === null) t.first = summarize(decoded);
    t.count++;
    if (msg.logTime < lastLogTime) ordered = false;
    lastLogTime = msg.logTime;
  }
  const metadata = {};
  for await (const m of reader.readMetadata()) metadata[m.name] = Object.fromEntries(m.metadata);
  await handle.close();

  // Second pass: the streaming reader validates every chunk CRC and the record framing end to end.
  const stream = new McapStreamReader({ decompressHandlers, validateCrcs: true });
  stream.append(new Uint8Array(await fs.readFile(path)));
  let streamed = 0;
  let footer = false;
  for (let rec; (rec = stream.nextRecord()); ) {
    if (rec.type === "Message") streamed++;
    if (rec.type === "Footer") footer = true;
  }
  console.log(JSON.stringify({
    library: reader.header.library,
    messageCount: String(reader.statistics?.messageCount ?? -1),
    chunkCount: reader.chunkIndexes.length,
    ordered,
    topics,
    metadata,
    streamedMessages: streamed,
    streamDone: stream.done(),
    footer,
  }));
}

function summarize(obj) {
  const out = {};
  for (const [k, v] of Object.entries(obj)) {
    if (Array.isArray(v)) out[k] = { length: v.length, head: v.slice(0, 3) };
    else if (typeof v === "string" && v.length > 64) out[k] = { length: v.length };
    else out[k] = v;
  }
  return out;
}

main().catch((e) => {
  console.error(String(e && e.stack ? e.stack : e));
  process.exit(1);
});
