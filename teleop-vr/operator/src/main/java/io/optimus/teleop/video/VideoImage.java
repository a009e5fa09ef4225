package io.optimus.teleop.video;

import io.optimus.common.ByteArrayImageStream;
import io.optimus.common.InputException;
import io.optimus.proto.v1.ImageEncoding;
import io.optimus.proto.v1.VideoFrame;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;

/**
 * Checks and decodes one {@link VideoFrame} (JPEG) into RGBA rows bottom-up, as an OpenGL texture
 * upload takes them. Bad frames (not a VideoFrame, another encoding, sizes out of range or disagreeing
 * with the JPEG's own, NaN intrinsics, corrupt or truncated data) are refused with a one-line
 * {@link InputException} naming the camera and the problem, before anything large is allocated.
 * Allocation-lean: reuses its JPEG bytes, its input stream and its decoded image (bytes in R, G, B
 * order, which the JDK's reader fills a whole scanline at a time; into a BGR image it allocates a
 * scanline array per row) between frames of one size. Not thread-safe: one per decoding thread.
 */
public final class VideoImage {
  /** Largest side accepted (a 4K eye). */
  public static final int MAX_SIDE = 4096;
  private final String camera;
  private final ImageReader reader;
  private final ByteArrayImageStream in = new ByteArrayImageStream(64 * 1024);
  private BufferedImage image;

  public VideoImage(String camera) {
    this.camera = camera;
    var readers = ImageIO.getImageReadersByFormatName("jpeg");
    if (!readers.hasNext()) {
      throw new IllegalStateException("this JDK has no JPEG ImageIO reader");
    }
    this.reader = readers.next();
  }

  /** {@code payload} parsed as a VideoFrame and checked (not yet decoded). */
  public VideoFrame parse(byte[] payload) {
    VideoFrame f;
    try {
      f = VideoFrame.parseFrom(payload);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new InputException("video " + camera + ": not a VideoFrame (" + payload.length + " bytes): " + e.getMessage());
    }
    String what = "video " + camera + " #" + f.getSequence();
    if (f.getEncoding() != ImageEncoding.IMAGE_ENCODING_JPEG) {
      throw new InputException(what + ": encoding " + f.getEncoding() + " is not supported (JPEG only)");
    }
    if (f.getWidth() < 1 || f.getHeight() < 1 || f.getWidth() > MAX_SIDE || f.getHeight() > MAX_SIDE) {
      throw new InputException(what + ": size " + Integer.toUnsignedString(f.getWidth()) + "x"
          + Integer.toUnsignedString(f.getHeight()) + " is out of range 1-" + MAX_SIDE);
    }
    if (f.getData().isEmpty()) {
      throw new InputException(what + ": no image data");
    }
    var k = f.getIntrinsics();
    if (f.hasIntrinsics() && !(k.getFy() > 0 && Double.isFinite(k.getFy()) && k.getFx() > 0 && Double.isFinite(k.getFx())
        && Double.isFinite(k.getCx()) && Double.isFinite(k.getCy()))) {
      throw new InputException(what + ": intrinsics are not finite and positive: fx " + k.getFx() + " fy " + k.getFy());
    }
    return f;
  }

  /**
   * Decodes {@code f}'s JPEG into {@code out} (width * height * 4 bytes from position 0: RGBA, rows
   * bottom-up); the JPEG's size must be the frame's.
   */
  public void decode(VideoFrame f, ByteBuffer out) {
    String what = "video " + camera + " #" + f.getSequence();
    int w = f.getWidth();
    int h = f.getHeight();
    if (out.capacity() < w * h * 4) {
      throw new IllegalArgumentException("texture buffer holds " + out.capacity() + " bytes, needs " + w * h * 4);
    }
    try {
      in.fill(f.getData());
      reader.setInput(in, true, true);
      int jw = reader.getWidth(0); // the header only: a huge declared size is refused before decoding
      int jh = reader.getHeight(0);
      if (jw != w || jh != h) {
        throw new InputException(what + ": the JPEG is " + jw + "x" + jh + ", the frame says " + w + "x" + h);
      }
      ImageReadParam p = reader.getDefaultReadParam();
      if (image == null || image.getWidth() != w || image.getHeight() != h) {
        image = rgbImage(w, h);
      }
      p.setDestination(image);
      BufferedImage img = reader.read(0, p);
      toRgbaBottomUp(img, out);
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      throw new InputException(what + ": JPEG data is corrupt or truncated: " + e.getMessage(), e);
    } finally {
      reader.setInput(null);
    }
  }

  private static void toRgbaBottomUp(BufferedImage img, ByteBuffer out) {
    int w = img.getWidth();
    int h = img.getHeight();
    out.clear();
    if (img.getSampleModel() instanceof PixelInterleavedSampleModel m && m.getNumBands() == 3
        && m.getPixelStride() == 3 && m.getScanlineStride() == 3 * w && Arrays.equals(m.getBandOffsets(), RGB)) {
      byte[] rgb = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
      for (int y = h - 1; y >= 0; y--) {
        for (int i = y * w * 3, end = i + w * 3; i < end; i += 3) {
          out.put(rgb[i]).put(rgb[i + 1]).put(rgb[i + 2]).put((byte) 0xff);
        }
      }
    } else if (img.getType() == BufferedImage.TYPE_3BYTE_BGR) {
      byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
      for (int y = h - 1; y >= 0; y--) {
        for (int i = y * w * 3, end = i + w * 3; i < end; i += 3) {
          out.put(bgr[i + 2]).put(bgr[i + 1]).put(bgr[i]).put((byte) 0xff);
        }
      }
    } else {
      int[] row = new int[w];
      for (int y = h - 1; y >= 0; y--) {
        img.getRGB(0, y, w, 1, row, 0, w);
        for (int argb : row) {
          out.put((byte) (argb >> 16)).put((byte) (argb >> 8)).put((byte) argb).put((byte) 0xff);
        }
      }
    }
    out.flip();
  }

  private static final int[] RGB = {0, 1, 2};

  /** A w x h image whose bytes are R, G, B (sRGB). */
  private static BufferedImage rgbImage(int w, int h) {
    WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 3 * w, 3, RGB, null);
    var cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false, Transparency.OPAQUE,
        DataBuffer.TYPE_BYTE);
    return new BufferedImage(cm, r, false, null);
  }

  /** The vertical field of view of {@code f}'s camera (from fy), radians; NaN without intrinsics. */
  public static double verticalFov(VideoFrame f) {
    double fy = f.getIntrinsics().getFy();
    return fy > 0 ? 2 * Math.atan(f.getHeight() / 2.0 / fy) : Double.NaN;
  }
}
