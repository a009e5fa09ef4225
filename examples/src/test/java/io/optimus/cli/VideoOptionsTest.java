package io.optimus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VideoOptionsTest {
  @Test
  void badVideoOptionsAreOneLineNamingTheOptionWithExitTwo() {
    String[][] bad = {{"--video-eye", "5x5"}, {"--video-eye", "big"}, {"--video-wrist", "640x480@200"},
        {"--video-rate", "0"}, {"--video-rate", "NaN"}, {"--video-ipd", "0.5"}, {"--video-quality", "101"}};
    for (String[] opt : bad) {
      for (String[] cmd : new String[][] {{"bridge", "--robot-id", "v1", "--video", opt[0], opt[1]},
          {"bench", "video-latency", opt[0], opt[1]}}) {
        OptimusCliTest.Run r = OptimusCliTest.run(cmd);
        assertEquals(2, r.code(), String.join(" ", cmd) + ": " + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("video"), r.err());
        assertTrue(!r.err().contains("at io.optimus"), "no stack trace: " + r.err());
      }
    }
  }

  @Test
  void defaultsAreAHumanStereoPairAt30HzAndOffTurnsTheWristsOff() {
    VideoOptions o = new VideoOptions();
    var c = o.config();
    assertEquals(640, c.eye().width());
    assertEquals(480, c.eye().height());
    assertEquals(Math.toRadians(60), c.eye().verticalFovRad(), 1e-12);
    assertEquals(0.063, c.ipdM(), 1e-12);
    assertEquals(30, c.rateHz(), 1e-12);
    assertEquals(320, c.wrist().width());
    o.wrist = "off";
    assertNull(o.config().wrist());
    o.eye = "1280x960@70";
    o.rateHz = 60;
    assertEquals(1280, o.config().eye().width());
    assertEquals(60, o.config().rateHz(), 1e-12);
  }
}
