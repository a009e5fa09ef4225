package io.optimus.motion.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.optimus.common.InputException;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.ImageEncoding;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class CameraFramesTest {
  private static CameraFrame frame(ImageEncoding e, int w, int h, int step, byte[] data) {
    return CameraFrame.newBuilder().setEncoding(e).setWidth(w).setHeight(h).setStep(step)
        .setData(ByteString.copyFrom(data)).build();
  }

  @Test
  void rgb8RowPaddingIsDroppedAndMono8BecomesGrey() {
    byte[] padded = {1, 2, 3, 4, 5, 6, 0, 0, 7, 8, 9, 10, 11, 12, 0, 0};
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
        CameraFrames.rgb8(frame(ImageEncoding.IMAGE_ENCODING_RGB8, 2, 2, 8, padded), "f"));
    assertArrayEquals(new byte[] {5, 5, 5, 9, 9, 9},
        CameraFrames.rgb8(frame(ImageEncoding.IMAGE_ENCODING_MONO8, 2, 1, 0, new byte[] {5, 9}), "f"));
  }

  @Test
  void pngDecodesToItsPixels() throws Exception {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, 0x102030);
    img.setRGB(1, 0, 0xa0b0c0);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(img, "png", png);
    assertArrayEquals(new byte[] {0x10, 0x20, 0x30, (byte) 0xa0, (byte) 0xb0, (byte) 0xc0},
        CameraFrames.rgb8(frame(ImageEncoding.IMAGE_ENCODING_PNG, 2, 1, 0, png.toByteArray()), "f"));
    refused(frame(ImageEncoding.IMAGE_ENCODING_PNG, 3, 1, 0, png.toByteArray()), "3x1");
  }

  @Test
  void truncatedGarbageHugeAndUnsupportedFramesAreRefusedNamingTheFrame() {
    refused(frame(ImageEncoding.IMAGE_ENCODING_RGB8, 2, 2, 0, new byte[11]), "only 11 bytes");
    refused(frame(ImageEncoding.IMAGE_ENCODING_RGB8, 100_000, 100_000, 0, new byte[12]), "100000x100000");
    refused(frame(ImageEncoding.IMAGE_ENCODING_RGB8, -2, 2, 0, new byte[12]), "RGB8");
    refused(frame(ImageEncoding.IMAGE_ENCODING_MONO8, 65_536, 65_536, 0, new byte[4]), "MONO8");
    refused(frame(ImageEncoding.IMAGE_ENCODING_JPEG, 2, 2, 0, new byte[] {1, 2, 3}), "JPEG");
    refused(frame(ImageEncoding.IMAGE_ENCODING_PNG, 2, 2, 0, new byte[0]), "PNG");
    refused(frame(ImageEncoding.IMAGE_ENCODING_DEPTH16, 1, 1, 0, new byte[2]), "not a colour image");
  }

  private static void refused(CameraFrame f, String expected) {
    InputException e = assertThrows(InputException.class, () -> CameraFrames.rgb8(f, "ep.mcap /camera/head #7"));
    assertTrue(e.getMessage().startsWith("ep.mcap /camera/head #7: "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
