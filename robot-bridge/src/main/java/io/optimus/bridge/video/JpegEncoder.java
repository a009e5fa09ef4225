package io.optimus.bridge.video;

import com.google.protobuf.ByteString;
import io.optimus.common.ByteArrayImageStream;
import java.awt.Point;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;

/**
 * JPEG through the JDK's ImageIO writer (baseline, at a fixed quality), allocation-lean: the writer,
 * its parameters and the output buffer are reused from frame to frame, and an image whose bytes are in
 * R, G, B order ({@link #rgbView}) is read a whole scanline at a time. The writer copies each
 * scanline into R, G, B order through a one-row view of the image: from any other layout, a 3-byte
 * BGR image included, that copy allocates a scanline array per row, and every view allocates a raster:
 * together about 1.1 MB of garbage per 640x480 frame; an {@link #rgbView} allocates neither. Not
 * thread-safe: one per thread.
 */
public final class JpegEncoder implements AutoCloseable {
  private final ImageWriter writer;
  private final ImageWriteParam param;
  private final ByteArrayImageStream out = new ByteArrayImageStream(64 * 1024);

  /** @param quality 1 (smallest) to 100 (best) */
  public JpegEncoder(int quality) {
    var writers = ImageIO.getImageWritersByFormatName("jpeg");
    if (!writers.hasNext()) {
      throw new IllegalStateException("this JDK has no JPEG ImageIO writer");
    }
    writer = writers.next();
    param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(quality / 100f);
  }

  /**
   * The pixels of a 3-byte BGR image whose first byte of each pixel holds red (drawn with red and blue
   * swapped: Java2D has no byte-RGB image type it draws fast into), as an sRGB image of bytes R, G, B
   * for {@link #encodeShared}. Shares {@code bgr}'s pixels; its one-row views are made once here.
   */
  public static BufferedImage rgbView(BufferedImage bgr) {
    if (bgr.getType() != BufferedImage.TYPE_3BYTE_BGR) {
      throw new IllegalArgumentException("not a 3-byte BGR image: type " + bgr.getType());
    }
    int w = bgr.getWidth();
    WritableRaster rgb = Raster.createInterleavedRaster((DataBufferByte) bgr.getRaster().getDataBuffer(), w,
        bgr.getHeight(), 3 * w, 3, new int[] {0, 1, 2}, null);
    var cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false, Transparency.OPAQUE,
        DataBuffer.TYPE_BYTE);
    return new BufferedImage(cm, new RowViews(rgb), false, null);
  }

  /**
   * A raster whose one-row children are made once: the JPEG writer asks for one per scanline of every
   * frame. Each is what {@code createChild} would make (the JDK's own byte raster, so that copying it
   * is a plain array copy); other children are made as usual.
   */
  private static final class RowViews extends WritableRaster {
    private final Raster[] rows;

    RowViews(WritableRaster r) {
      super(r.getSampleModel(), r.getDataBuffer(), new Point(0, 0));
      rows = new Raster[r.getHeight()];
      for (int y = 0; y < rows.length; y++) {
        rows[y] = r.createChild(0, y, r.getWidth(), 1, 0, 0, null);
      }
    }

    @Override
    public Raster createChild(int parentX, int parentY, int w, int h, int childMinX, int childMinY, int[] bands) {
      if (parentX == 0 && w == getWidth() && h == 1 && childMinX == 0 && childMinY == 0 && parentY >= 0
          && parentY < rows.length && (bands == null || (bands.length == 3 && bands[0] == 0 && bands[1] == 1
              && bands[2] == 2))) {
        return rows[parentY];
      }
      return super.createChild(parentX, parentY, w, h, childMinX, childMinY, bands);
    }
  }

  /**
   * {@code image} as a JPEG file's bytes, in this encoder's buffer: valid until the next call (copy
   * them to keep them). Allocates next to nothing for an image in R, G, B byte order.
   */
  public ByteString encodeShared(BufferedImage image) {
    out.rewind();
    try {
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("JPEG encoding failed", e);
    }
    return out.view();
  }

  /** {@code image} (any RGB layout) as a JPEG file's bytes, a fresh array. */
  public byte[] encode(BufferedImage image) {
    return encodeShared(image).toByteArray();
  }

  @Override
  public void close() {
    writer.dispose();
  }
}
