package io.optimus.motion.record;

import static io.optimus.motion.record.EpisodeWriterTest.MONO0;
import static io.optimus.motion.record.EpisodeWriterTest.WALL0;
import static io.optimus.motion.record.SyntheticRecording.camera;
import static io.optimus.motion.record.SyntheticRecording.header;
import static io.optimus.motion.record.SyntheticRecording.robot;
import static io.optimus.motion.record.SyntheticRecording.stamp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import io.optimus.motion.record.mcap.McapChannel;
import io.optimus.motion.record.mcap.McapMessage;
import io.optimus.motion.record.mcap.McapReader;
import io.optimus.motion.record.mcap.McapRecovery;
import io.optimus.motion.record.mcap.McapSchema;
import io.optimus.motion.record.mcap.McapWriter;
import io.optimus.proto.foxglove.CompressedImage;
import io.optimus.proto.foxglove.RawImage;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.ImageEncoding;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Camera frames are also recorded as foxglove.RawImage / CompressedImage so Foxglove's Image panel shows them. */
class FoxgloveImagesTest {
  @TempDir Path dir;

  private static List<McapMessage> messages(McapReader r, String topic) {
    McapChannel c = r.channel(topic);
    assertNotNull(c, "no channel " + topic);
    List<McapMessage> out = new ArrayList<>();
    r.messages(Long.MIN_VALUE, Long.MAX_VALUE, id -> id == c.id()).forEachRemaining(out::add);
    return out;
  }

  @Test
  void everyCameraFrameHasARawImageTwinThatFoxgloveCanDecode() throws Exception {
    Path file = dir.resolve("views.mcap");
    EpisodeWriter w = EpisodeWriter.start(file, header("views", robot(12, 2, 32, 500, 30)), EpisodeWriterTest.fast(), null);
    EpisodeWriterTest.record(w, 12, 1000, -1, -1);
    assertTrue(w.finish(EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, "").ok());

    try (McapReader r = McapReader.open(file)) {
      McapChannel view = r.channel("/camera/head/image");
      assertEquals(EpisodeTopics.cameraImage("head"), view.topic());
      assertEquals("protobuf", view.messageEncoding());
      assertEquals("/camera/head", view.metadata().get("source_topic"));
      McapSchema schema = r.schemas().get(view.schemaId());
      assertEquals("foxglove.RawImage", schema.name());
      assertEquals("protobuf", schema.encoding());
      // Self-contained descriptor: Timestamp's file first, then RawImage's (what Foxglove resolves).
      List<String> files = FileDescriptorSet.parseFrom(schema.data()).getFileList().stream()
          .map(FileDescriptorProto::getName).toList();
      assertEquals(List.of("google/protobuf/timestamp.proto", "foxglove/RawImage.proto"), files);

      List<McapMessage> frames = messages(r, "/camera/head");
      List<McapMessage> images = messages(r, "/camera/head/image");
      assertEquals(59, frames.size());
      assertEquals(frames.size(), images.size());
      for (int i = 0; i < frames.size(); i++) {
        CameraFrame f = CameraFrame.parseFrom(frames.get(i).data());
        RawImage img = RawImage.parseFrom(images.get(i).data());
        assertEquals(f.getWidth(), img.getWidth());
        assertEquals(f.getHeight(), img.getHeight());
        assertEquals(f.getStep(), img.getStep());
        assertEquals(96, img.getStep());
        assertEquals("rgb8", img.getEncoding());
        assertEquals(f.getData(), img.getData());
        assertEquals("head_camera", img.getFrameId(), "the camera's transform frame");
        long wall = f.getStamp().getWallNs();
        assertEquals(wall / 1_000_000_000L, img.getTimestamp().getSeconds());
        assertEquals(wall % 1_000_000_000L, img.getTimestamp().getNanos());
        assertEquals(frames.get(i).logTime(), images.get(i).logTime());
        assertEquals(frames.get(i).publishTime(), images.get(i).publishTime());
        assertEquals(i, images.get(i).sequence());
      }
      assertEquals(59, messages(r, "/camera/wrist1/image").size());
    }

    // Readers see two cameras, not four; the views are neither rate-tracked nor gap-counted.
    try (EpisodeReader r = EpisodeReader.open(file)) {
      assertEquals(List.of("head", "wrist1"), r.cameras());
      assertEquals(59, r.messageCount(EpisodeTopics.cameraImage("head")));
      Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of("/camera/wrist1/image"));
      EpisodeFrame f = it.next();
      assertEquals(32, f.as(RawImage.class).getWidth());
      assertEquals(0, r.outcome().orElseThrow().getChannelsList().stream()
          .filter(c -> c.getTopic().endsWith("/image")).mapToLong(c -> c.getGaps() + c.getDropped()).sum());
    }
    EpisodeEntry e = Dataset.describe(file);
    assertEquals(List.of("head", "wrist1"), e.cameras());
    assertFalse(e.rates().containsKey("/camera/head/image"), e.rates().keySet().toString());
    assertTrue(e.rates().containsKey("/camera/head"));
    assertEquals(59L, e.messagesByTopic().get("/camera/head/image"));
    Files.move(file, Files.createDirectories(dir.resolve("ds")).resolve("views.mcap"));
    Dataset d = Dataset.open(dir.resolve("ds"));
    assertTrue(d.validate().ok(), d.validate().toString());
    assertEquals(List.of("head", "wrist1"), d.info().cameras());
  }

  @Test
  void offWritesOnlyTheCameraFrames() throws Exception {
    Path file = dir.resolve("plain.mcap");
    EpisodeWriter w = EpisodeWriter.start(file, header("plain", robot(6, 1, 16, 500, 30)),
        EpisodeWriterTest.fast().withFoxgloveImages(false), null);
    assertTrue(w.writeCamera(camera("head", 16, 0, stamp(MONO0, WALL0))));
    assertTrue(w.finish().ok());
    try (EpisodeReader r = EpisodeReader.open(file)) {
      assertEquals(1, r.messageCount("/camera/head"));
      assertFalse(r.topics().contains("/camera/head/image"), r.topics().toString());
    }
  }

  @Test
  void encodingsMapToFoxgloveNamesAndUnviewableFramesAreStillRecorded() throws Exception {
    Path file = dir.resolve("enc.mcap");
    EpisodeWriter w = EpisodeWriter.start(file, header("enc", robot(6, 0, 0, 500, 0)), EpisodeWriterTest.fast(), null);
    ByteString png = ByteString.copyFrom(new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    ByteString depth = ByteString.copyFrom(new byte[16 * 2 + 4 * 2]); // 4x3 uint16, rows padded to 16 bytes
    assertTrue(w.writeCamera(frame("mono", ImageEncoding.IMAGE_ENCODING_MONO8, 4, 2, 0, ByteString.copyFrom(new byte[8]))));
    assertTrue(w.writeCamera(frame("depth", ImageEncoding.IMAGE_ENCODING_DEPTH16, 4, 3, 16, depth)));
    assertTrue(w.writeCamera(frame("snap", ImageEncoding.IMAGE_ENCODING_PNG, 4, 4, 0, png)));
    assertTrue(w.writeCamera(frame("short", ImageEncoding.IMAGE_ENCODING_RGB8, 4, 4, 12, ByteString.copyFrom(new byte[47]))));
    assertTrue(w.writeCamera(frame("what", ImageEncoding.IMAGE_ENCODING_UNSPECIFIED, 4, 4, 0, ByteString.copyFrom(new byte[48]))));
    assertTrue(w.finish().ok());

    try (EpisodeReader r = EpisodeReader.open(file)) {
      assertEquals(List.of("depth", "mono", "short", "snap", "what"), r.cameras());
      RawImage mono = first(r, "/camera/mono/image").as(RawImage.class);
      assertEquals("mono8", mono.getEncoding());
      assertEquals(4, mono.getStep(), "step 0 (tightly packed) is made explicit");
      RawImage d = first(r, "/camera/depth/image").as(RawImage.class);
      assertEquals("16UC1", d.getEncoding());
      assertEquals(16, d.getStep());
      assertEquals(40, d.getData().size());
      CompressedImage c = first(r, "/camera/snap/compressed").as(CompressedImage.class);
      assertEquals("png", c.getFormat());
      assertEquals(png, c.getData());
      assertEquals("snap_camera", c.getFrameId());
      assertEquals(WALL0 / 1_000_000_000L, c.getTimestamp().getSeconds());
      assertEquals("foxglove.CompressedImage",
          r.mcap().schemas().get(r.mcap().channel("/camera/snap/compressed").schemaId()).name());
      for (String bad : List.of("short", "what")) {
        assertEquals(1, r.messageCount(EpisodeTopics.camera(bad)), bad + " is recorded as sent");
        assertFalse(r.topics().contains(EpisodeTopics.cameraImage(bad)), bad);
      }
    }
    assertEquals("47 data bytes for 4x4 with step 12 (needs 48)",
        FoxgloveImages.unviewable(frame("x", ImageEncoding.IMAGE_ENCODING_RGB8, 4, 4, 12, ByteString.copyFrom(new byte[47]))));
    assertNull(FoxgloveImages.view(frame("x", ImageEncoding.IMAGE_ENCODING_RGB8, 4, 4, 8, ByteString.copyFrom(new byte[48])), 0),
        "step below width x 3");
    assertEquals(-1, FoxgloveImages.timestamp(-1).getSeconds());
    assertEquals(999_999_999, FoxgloveImages.timestamp(-1).getNanos());
  }

  @Test
  void aRecoveredRecordingKeepsItsViewsAndItsCameraCount() throws Exception {
    Path file = dir.resolve("cut.mcap");
    EpisodeWriter.Options small = new EpisodeWriter.Options(1024, 64L << 20, 500_000_000L, 64 << 10, 3, false, Map.of(), true);
    EpisodeWriter w = EpisodeWriter.start(file, header("cut", robot(8, 1, 32, 500, 30)), small, null);
    for (int i = 0; i < 60; i++) { // 60 x (3 KB frame + 3 KB view) in 64 KiB chunks: several chunks
      long dt = i * 33_000_000L;
      assertTrue(w.writeCamera(camera("head", 32, i, stamp(MONO0 + dt, WALL0 + dt))));
    }
    assertTrue(w.finish().ok());
    long size = Files.size(file);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size * 2 / 3); // summary, footer and the last chunks gone
    }
    Path fixed = dir.resolve("fixed.mcap");
    McapRecovery.Report rep = McapRecovery.recover(file, fixed, McapWriter.Options.defaults().withFsync(false));
    assertFalse(rep.wasComplete());
    try (EpisodeReader r = EpisodeReader.open(fixed)) {
      assertEquals(List.of("head"), r.cameras());
      long frames = r.messageCount("/camera/head");
      assertTrue(frames > 0 && frames < 60, "frames kept: " + frames);
      long views = r.messageCount("/camera/head/image");
      assertTrue(views == frames || views == frames - 1, frames + " frames, " + views + " views");
    }
  }

  @Test
  void viewTopicsAreNotCameras() {
    assertEquals("/camera/head/image", EpisodeTopics.cameraImage("head"));
    assertEquals("/camera/head/compressed", EpisodeTopics.cameraCompressed("head"));
    assertTrue(EpisodeTopics.isCamera("/camera/head"));
    assertFalse(EpisodeTopics.isCamera("/camera/head/image"));
    assertFalse(EpisodeTopics.isCamera("/camera/head/compressed"));
    assertTrue(EpisodeTopics.isCameraView("/camera/head/image"));
    assertTrue(EpisodeTopics.isCameraView("/camera/head/compressed"));
    assertFalse(EpisodeTopics.isCameraView("/camera/head"));
    assertFalse(EpisodeTopics.isCameraView("/camera//image"));
    assertFalse(EpisodeTopics.isCameraView("/camera/head/image/x"));
    assertFalse(EpisodeTopics.isCameraView("/state"));
    assertEquals("head", EpisodeTopics.cameraName("/camera/head"));
    assertEquals("head", EpisodeTopics.cameraName("/camera/head/image"));
  }

  private static EpisodeFrame first(EpisodeReader r, String topic) {
    Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(topic));
    assertTrue(it.hasNext(), "nothing on " + topic);
    return it.next();
  }

  private static CameraFrame frame(String name, ImageEncoding enc, int w, int h, int step, ByteString data) {
    return CameraFrame.newBuilder().setCameraName(name).setEncoding(enc).setWidth(w).setHeight(h).setStep(step)
        .setData(data).setStamp(stamp(MONO0, WALL0)).build();
  }
}
