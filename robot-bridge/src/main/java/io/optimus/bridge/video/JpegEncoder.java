package io.optimus.bridge.video;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * JPEG through the JDK's ImageIO writer (baseline, at a fixed quality), reusing the writer and its
 * output buffer from frame to frame. Not thread-safe: one per thread.
 */
public final class JpegEncoder implements AutoCloseable {
  private final ImageWriter writer;
  private final ImageWriteParam param;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);

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

  /** {@code image} (RGB) as a JPEG file's bytes. */
  public byte[] encode(BufferedImage image) {
    out.reset();
    try (MemoryCacheImageOutputStream s = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(s);
      writer.write(null, new IIOImage(image, null, null), param);
      writer.reset();
    } catch (IOException e) {
      throw new UncheckedIOException("JPEG encoding failed", e);
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    writer.dispose();
  }
}
