package io.optimus.teleop.hud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class HudTextureTest {
  @Test
  void rgbaRowsBottomUpForOpenGl() {
    BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
    img.setRGB(0, 0, 0xff102030); // top-left
    img.setRGB(1, 1, 0x80a0b0c0); // bottom-right, half transparent
    ByteBuffer b = HudTexture.toRgbaBottomUp(img, ByteBuffer.allocateDirect(16));
    assertEquals(16, b.remaining());
    // first row in memory is the image's bottom row: (0,1) then (1,1)
    assertEquals((byte) 0xa0, b.get(4));
    assertEquals((byte) 0xb0, b.get(5));
    assertEquals((byte) 0xc0, b.get(6));
    assertEquals((byte) 0x80, b.get(7));
    // the top-left pixel comes third
    assertEquals((byte) 0x10, b.get(8));
    assertEquals((byte) 0x20, b.get(9));
    assertEquals((byte) 0x30, b.get(10));
    assertEquals((byte) 0xff, b.get(11));
    assertThrows(IllegalArgumentException.class, () -> HudTexture.toRgbaBottomUp(img, ByteBuffer.allocate(8)));
  }
}
