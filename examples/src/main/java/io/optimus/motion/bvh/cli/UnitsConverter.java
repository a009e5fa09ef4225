package io.optimus.motion.bvh.cli;

import io.optimus.motion.bvh.LengthUnit;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --units} (m, cm, mm, inch, cmu). */
final class UnitsConverter implements ITypeConverter<LengthUnit> {
  @Override
  public LengthUnit convert(String value) {
    try {
      return LengthUnit.parse(value);
    } catch (RuntimeException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
