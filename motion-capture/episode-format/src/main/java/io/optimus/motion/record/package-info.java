/**
 * Episode recording: one episode = one MCAP file (foxglove/mcap specification), written by
 * {@link io.optimus.motion.record.EpisodeWriter} (or {@link io.optimus.motion.record.EpisodeRecorder}
 * for operator start/stop), read by {@link io.optimus.motion.record.EpisodeReader}, grouped in a
 * {@link io.optimus.motion.record.Dataset} directory with a {@code dataset.json} index.
 *
 * <p>Format of an episode file:
 * <ul>
 *   <li>Schemas: encoding {@code protobuf}, name = the full message name ({@code optimus.v1.JointState}),
 *       data = serialized FileDescriptorSet of the message's .proto file and its dependencies. Message
 *       encoding {@code protobuf}. Foxglove and the official MCAP readers decode them unaided.</li>
 *   <li>Channels (see {@link io.optimus.motion.record.EpisodeTopics}), mirroring the MQTT topics:
 *       {@code /state} JointState at control rate (measured q, dq, effort and commanded q of every joint,
 *       indexed like the header's RobotDescription.joints), {@code /command}, {@code /operator},
 *       {@code /camera/NAME}, {@code /task}, {@code /safety}, {@code /safety/event}, {@code /annotation},
 *       {@code /episode/header} (EpisodeHeader, first) and {@code /episode/outcome}
 *       (EpisodeOutcomeRecord with per-channel ChannelStats: messages, drops, gaps; last). Channels with a
 *       nominal rate carry it as channel metadata {@code nominal_rate_hz}. Unless turned off
 *       ({@code EpisodeWriter.Options.withFoxgloveImages(false)}), each {@code /camera/NAME} frame is
 *       also written, same log time, as {@code /camera/NAME/image} (schema {@code foxglove.RawImage})
 *       or, for JPEG/PNG, {@code /camera/NAME/compressed} ({@code foxglove.CompressedImage}) for
 *       Foxglove's Image panel; channel metadata {@code source_topic}. These views are not cameras:
 *       readers, rates and gap counts ignore them.</li>
 *   <li>Times: log time = the recorder's clock when the message was handed over (Unix epoch ns,
 *       advanced monotonically); publish time = the message's own stamp (wall ns) when it has one.</li>
 *   <li>Metadata records: {@code episode} (episode_id, robot_id, robot_model, robot_model_hash,
 *       joint_names, joint_count, cameras, operator, task, seed, start_time (ISO-8601 UTC),
 *       start_wall_ns, software_version, source_kind, source, control_rate_hz, schema_version, units,
 *       quaternion_convention), {@code outcome} (outcome, notes, task_success, duration_s, end_time,
 *       dropped_total, dropped:TOPIC, gaps:TOPIC) and, in a recovered file, {@code recovery}.</li>
 *   <li>Messages in zstd chunks with CRC32, closed every 0.5 s (and every 8 MiB) and fsynced, each
 *       followed by its Message Index records; then Data End (data section CRC), a summary (schemas,
 *       channels, chunk and metadata indexes, statistics), Summary Offsets and the Footer (summary CRC).
 *       A file without a footer is an unfinished recording: {@code optimus dataset recover} rebuilds it.</li>
 * </ul>
 */
package io.optimus.motion.record;
