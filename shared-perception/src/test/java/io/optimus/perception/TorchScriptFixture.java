package io.optimus.perception;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a real TorchScript archive (format version 3: zip of code/, data.pkl, constants.pkl,
 * data/N, version) without Python: a two-level conv backbone
 * {@code a = relu(conv(x, w1, b1, stride 2, pad 1)); b = relu(conv(a, w2, b2, stride 2, pad 1));
 * return (a, b)}. DJL can load TorchScript but not trace or script a module, so tests build the
 * file by hand from the published format (torch/csrc/jit/serialization, pickle protocol 2).
 */
final class TorchScriptFixture {
  private TorchScriptFixture() {}

  static final String CODE = """
      class Backbone(Module):
        __parameters__ = ["w1", "b1", "w2", "b2", ]
        __buffers__ = []
        w1 : Tensor
        b1 : Tensor
        w2 : Tensor
        b2 : Tensor
        training : bool
        def forward(self: __torch__.Backbone,
          x: Tensor) -> Tuple[Tensor, Tensor]:
          w1 = self.w1
          b1 = self.b1
          a = torch.relu(torch.conv2d(x, w1, b1, [2, 2], [1, 1], [1, 1]))
          w2 = self.w2
          b2 = self.b2
          b = torch.relu(torch.conv2d(a, w2, b2, [2, 2], [1, 1], [1, 1]))
          return (a, b)
      """;

  /** Writes the archive; tensors are float32 with the given shapes (row-major). */
  static void write(Path file, float[] w1, long[] w1Shape, float[] b1, float[] w2, long[] w2Shape, float[] b2)
      throws IOException {
    Map<String, byte[]> storages = new LinkedHashMap<>();
    Pickle data = new Pickle();
    data.global("__torch__", "Backbone").op(')').op(0x81).op('}').op('(');
    data.str("training").op(0x89);
    tensor(data, storages, "w1", w1, w1Shape);
    tensor(data, storages, "b1", b1, new long[] {b1.length});
    tensor(data, storages, "w2", w2, w2Shape);
    tensor(data, storages, "b2", b2, new long[] {b2.length});
    data.op('u').op('b').op('.');
    Pickle constants = new Pickle().op(')').op('.');
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      put(zip, "backbone/data.pkl", data.bytes());
      put(zip, "backbone/code/__torch__.py", CODE.getBytes(StandardCharsets.UTF_8));
      put(zip, "backbone/constants.pkl", constants.bytes());
      for (Map.Entry<String, byte[]> s : storages.entrySet()) {
        put(zip, "backbone/data/" + s.getKey(), s.getValue());
      }
      put(zip, "backbone/version", "3\n".getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void tensor(Pickle p, Map<String, byte[]> storages, String name, float[] values, long[] shape) {
    String key = Integer.toString(storages.size());
    ByteBuffer buf = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      buf.putFloat(v);
    }
    storages.put(key, buf.array());
    long[] strides = new long[shape.length];
    long s = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      strides[i] = s;
      s *= shape[i];
    }
    p.str(name);
    p.global("torch._utils", "_rebuild_tensor_v2").op('(');
    p.op('(').str("storage").global("torch", "FloatStorage").str(key).str("cpu").integer(values.length).op('t').op('Q');
    p.integer(0);
    p.op('(');
    for (long d : shape) {
      p.integer((int) d);
    }
    p.op('t').op('(');
    for (long d : strides) {
      p.integer((int) d);
    }
    p.op('t').op(0x89);
    p.global("collections", "OrderedDict").op(')').op('R');
    p.op('t').op('R');
  }

  private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(bytes.length);
    e.setCompressedSize(bytes.length);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    e.setCrc(crc.getValue());
    zip.putNextEntry(e);
    zip.write(bytes);
    zip.closeEntry();
  }

  /** Just the pickle opcodes this archive needs (protocol 2). */
  private static final class Pickle {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Pickle() {
      out.write(0x80);
      out.write(2);
    }

    Pickle op(int code) {
      out.write(code);
      return this;
    }

    Pickle global(String module, String name) {
      out.write('c');
      write(out, (module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
      return this;
    }

    Pickle str(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.write('X');
      write(out, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
      write(out, b);
      return this;
    }

    Pickle integer(int v) {
      out.write('J');
      write(out, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    private static void write(OutputStream o, byte[] b) {
      try {
        o.write(b);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
