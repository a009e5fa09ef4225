package io.optimus.motion.model;

import io.optimus.common.InputException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Image size and vertical field of view of a simulated pinhole camera (square pixels, principal point
 * at the centre). Written {@code WIDTHxHEIGHT} or {@code WIDTHxHEIGHT@FOV_DEGREES} on command lines.
 */
public record CameraSize(int width, int height, double verticalFovRad) {
  private static final Pattern TEXT = Pattern.compile("(\\d{1,9})x(\\d{1,9})(?:@(\\d{1,3}(?:\\.\\d+)?))?");

  public CameraSize {
    if (width < 8 || height < 8 || width > 4096 || height > 4096) {
      throw new InputException("camera resolution " + width + "x" + height + " is out of range 8-4096");
    }
    if (!(verticalFovRad >= Math.toRadians(10) && verticalFovRad <= Math.toRadians(170))) {
      throw new InputException("camera field of view " + Math.toDegrees(verticalFovRad) + " deg is out of range 10-170");
    }
  }

  /**
   * {@code 96x96} or {@code 128x96@90} (vertical field of view in degrees, else {@code defaultFovRad}).
   *
   * @param option names the input in the error message, e.g. {@code --wrist-camera}
   */
  public static CameraSize parse(String option, String text, double defaultFovRad) {
    Matcher m = TEXT.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new InputException(option + " '" + text + "': expected WIDTHxHEIGHT[@FOV_DEGREES], e.g. 96x96 or 128x96@90");
    }
    try {
      return new CameraSize(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
          m.group(3) == null ? defaultFovRad : Math.toRadians(Double.parseDouble(m.group(3))));
    } catch (InputException e) {
      throw new InputException(option + " '" + text + "': " + e.getMessage());
    }
  }

  /** Focal length in pixels. */
  public double focal() {
    return height / 2.0 / Math.tan(verticalFovRad / 2);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%dx%d@%.0f", width, height, Math.toDegrees(verticalFovRad));
  }
}
