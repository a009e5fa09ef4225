package io.optimus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WristCameraOptionTest {
  @Test
  void badWristCameraSizesAreOneLineNamingTheOptionWithExitTwo() {
    for (String bad : new String[] {"0x96", "96", "96x96x3", "-96x96", "5000x96", "96x96@0", "96x96@180", "big",
        "99999999999x1"}) {
      for (String[] cmd : new String[][] {{"bridge", "--robot-id", "w1", "--wrist-camera", bad},
          {"bench", "sim", "--wrist-camera", bad}}) {
        OptimusCliTest.Run r = OptimusCliTest.run(cmd);
        assertEquals(2, r.code(), String.join(" ", cmd) + ": " + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("--wrist-camera") && r.err().contains(bad), r.err());
        assertTrue(!r.err().contains("at io.optimus"), "no stack trace: " + r.err());
      }
    }
  }

  @Test
  void sizesParseAndOffTurnsTheWristCamerasOff() {
    WristCameraOption o = new WristCameraOption();
    o.spec = "128x96";
    assertEquals(128, o.size().width());
    assertEquals(96, o.size().height());
    assertEquals(Math.toRadians(90), o.size().verticalFovRad(), 1e-12);
    o.spec = "64x48@70";
    assertEquals(Math.toRadians(70), o.size().verticalFovRad(), 1e-12);
    o.spec = "off";
    assertEquals(null, o.size());
    var rig = o.apply(new io.optimus.motion.model.RobotRig(io.optimus.motion.model.Robots.load("optimus")));
    assertEquals(java.util.List.of("head"), rig.cameras().stream().map(c -> c.name()).toList());
  }
}
