package io.optimus.motion.record;

import com.google.protobuf.Message;
import io.optimus.proto.foxglove.CompressedImage;
import io.optimus.proto.foxglove.RawImage;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.ImageEncoding;

/**
 * A camera frame as Foxglove's Image panel wants it: foxglove.RawImage for raw encodings,
 * foxglove.CompressedImage for JPEG/PNG. The pixel bytes are shared with the frame, not copied.
 */
public final class FoxgloveImages {
  private FoxgloveImages() {}

  /** Foxglove's name for a raw encoding ("rgb8", "mono8", "16UC1"), or null if it is not raw. */
  public static String rawEncoding(ImageEncoding e) {
    return switch (e) {
      case IMAGE_ENCODING_RGB8 -> "rgb8";
      case IMAGE_ENCODING_MONO8 -> "mono8";
      case IMAGE_ENCODING_DEPTH16 -> "16UC1"; // uint16 little-endian, as Foxglove reads 16UC1
      default -> null;
    };
  }

  /** Foxglove's name for a compressed format ("jpeg", "png"), or null if it is not compressed. */
  public static String compressedFormat(ImageEncoding e) {
    return switch (e) {
      case IMAGE_ENCODING_JPEG -> "jpeg";
      case IMAGE_ENCODING_PNG -> "png";
      default -> null;
    };
  }

  /** Bytes per pixel of a raw encoding; 0 otherwise. */
  public static int bytesPerPixel(ImageEncoding e) {
    return switch (e) {
      case IMAGE_ENCODING_RGB8 -> 3;
      case IMAGE_ENCODING_MONO8 -> 1;
      case IMAGE_ENCODING_DEPTH16 -> 2;
      default -> 0;
    };
  }

  /** Why {@code f} cannot be shown as an image, or null if it can. */
  public static String unviewable(CameraFrame f) {
    if (compressedFormat(f.getEncoding()) != null) {
      return f.getData().isEmpty() ? "no image data" : null;
    }
    int bpp = bytesPerPixel(f.getEncoding());
    if (bpp == 0) {
      return "encoding " + f.getEncoding() + " has no Foxglove equivalent";
    }
    if (f.getWidth() == 0 || f.getHeight() == 0) {
      return "size " + f.getWidth() + "x" + f.getHeight();
    }
    long minStep = (long) f.getWidth() * bpp;
    long step = f.getStep() == 0 ? minStep : Integer.toUnsignedLong(f.getStep());
    if (step < minStep) {
      return "step " + step + " is less than width x " + bpp + " = " + minStep;
    }
    long need = step * (f.getHeight() - 1) + minStep; // the last row needs no padding
    if (f.getData().size() < need) {
      return f.getData().size() + " data bytes for " + f.getWidth() + "x" + f.getHeight() + " with step " + step
          + " (needs " + need + ")";
    }
    return null;
  }

  /**
   * The Foxglove message for {@code f} (RawImage or CompressedImage), or null if {@link #unviewable}.
   * Its timestamp is {@code wallNs} (the frame's exposure wall clock, Unix epoch ns); frame_id is
   * the camera's transform frame ({@link EpisodeTopics#cameraFrame}), so the 3D panel can place it.
   */
  public static Message view(CameraFrame f, long wallNs) {
    if (unviewable(f) != null) {
      return null;
    }
    com.google.protobuf.Timestamp t = timestamp(wallNs);
    String frame = EpisodeTopics.cameraFrame(f.getCameraName());
    String format = compressedFormat(f.getEncoding());
    if (format != null) {
      return CompressedImage.newBuilder().setTimestamp(t).setFrameId(frame).setFormat(format)
          .setData(f.getData()).build();
    }
    int step = f.getStep() != 0 ? f.getStep() : f.getWidth() * bytesPerPixel(f.getEncoding());
    return RawImage.newBuilder().setTimestamp(t).setFrameId(frame).setWidth(f.getWidth())
        .setHeight(f.getHeight()).setEncoding(rawEncoding(f.getEncoding())).setStep(step).setData(f.getData()).build();
  }

  /** Unix epoch ns as google.protobuf.Timestamp (what every Foxglove schema stamps with). */
  public static com.google.protobuf.Timestamp timestamp(long wallNs) {
    return com.google.protobuf.Timestamp.newBuilder().setSeconds(Math.floorDiv(wallNs, 1_000_000_000L))
        .setNanos((int) Math.floorMod(wallNs, 1_000_000_000L)).build();
  }
}
