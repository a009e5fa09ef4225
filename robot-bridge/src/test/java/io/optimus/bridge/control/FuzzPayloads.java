package io.optimus.bridge.control;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a fuzzer's input into MQTT payloads: a sequence of varint-length-prefixed byte strings (the
 * protobuf delimited format, so {@code writeDelimitedTo} makes seeds). A cut or overlong prefix ends
 * the sequence; each payload then goes through the same {@code Parser.parseFrom(byte[])} as on the
 * bridge's topics.
 */
final class FuzzPayloads {
  /** More payloads than this in one input add nothing but time. */
  static final int MAX = 16;

  private FuzzPayloads() {}

  static List<byte[]> split(byte[] input) {
    List<byte[]> out = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(input);
    try {
      while (!in.isAtEnd() && out.size() < MAX) {
        int len = in.readRawVarint32();
        if (len < 0 || len > input.length - in.getTotalBytesRead()) {
          break;
        }
        out.add(in.readRawBytes(len));
      }
    } catch (IOException cut) {
      // a truncated length prefix: the payloads before it stand
    }
    return out;
  }
}
