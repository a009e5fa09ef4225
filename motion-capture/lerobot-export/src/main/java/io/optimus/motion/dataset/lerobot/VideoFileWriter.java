package io.optimus.motion.dataset.lerobot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/**
 * One camera's MP4 file, several episodes back to back: AV1 in yuv420p through FFmpeg (JavaCV),
 * one frame per tick. The stream's time base is 1/fps (the MP4 track scales it by a power of two),
 * so frame n sits exactly at n/fps and an episode starting at frame f starts at f/fps.
 */
final class VideoFileWriter implements AutoCloseable {
  /** SVT-AV1 (LeRobot's default encoder) needs 64x64 or larger; smaller images go through libaom. */
  static final int SVT_MIN_SIDE = 64;

  static {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR); // FFmpeg's own info lines stay off the terminal
  }

  private final Path file;
  private final int width;
  private final int height;
  private final FFmpegFrameRecorder recorder;
  private final Frame frame;
  private long frames;

  VideoFileWriter(Path file, int width, int height, int fps, int crf) throws IOException {
    this.file = file;
    this.width = width;
    this.height = height;
    recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
    recorder.setFormat("mp4");
    boolean svt = width >= SVT_MIN_SIDE && height >= SVT_MIN_SIDE;
    recorder.setVideoCodecName(svt ? "libsvtav1" : "libaom-av1");
    recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
    recorder.setFrameRate(fps);
    recorder.setGopSize(2); // LeRobot's default: a key frame every other frame keeps random access cheap
    recorder.setVideoBitrate(0); // constant quality (crf), not a bitrate
    recorder.setVideoOption("crf", Integer.toString(crf));
    if (svt) {
      recorder.setVideoOption("preset", "8");
    } else {
      recorder.setVideoOption("cpu-used", "8");
      recorder.setVideoOption("usage", "realtime");
    }
    try {
      recorder.start();
    } catch (FrameRecorder.Exception e) {
      throw new IOException(file + ": cannot start the AV1 encoder for " + width + "x" + height + ": " + e.getMessage(), e);
    }
    frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
  }

  Path file() {
    return file;
  }

  /** Frames written so far: the next frame's index, and the file's duration in frames. */
  long frames() {
    return frames;
  }

  /** Appends one packed RGB8 image (width*height*3 bytes, no padding). */
  void write(byte[] rgb) throws IOException {
    ByteBuffer b = (ByteBuffer) frame.image[0];
    int row = width * 3;
    if (frame.imageStride == row) {
      b.position(0);
      b.put(rgb, 0, row * height);
    } else {
      for (int y = 0; y < height; y++) {
        b.position(y * frame.imageStride);
        b.put(rgb, y * row, row);
      }
    }
    b.position(0);
    try {
      recorder.record(frame, avutil.AV_PIX_FMT_RGB24);
    } catch (FrameRecorder.Exception e) {
      throw new IOException(file + ": encoding frame " + frames + " failed: " + e.getMessage(), e);
    }
    frames++;
  }

  @Override
  public void close() throws IOException {
    try {
      recorder.stop();
      recorder.release();
    } catch (FrameRecorder.Exception e) {
      throw new IOException(file + ": cannot finish the video: " + e.getMessage(), e);
    } finally {
      frame.close();
    }
  }
}
