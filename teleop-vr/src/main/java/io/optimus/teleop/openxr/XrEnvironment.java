package io.optimus.teleop.openxr;

import org.lwjgl.system.JNI;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.lwjgl.system.linux.DynamicLinkLoader;

/**
 * Sets process environment variables that native code reads (the OpenXR loader reads
 * {@code XR_RUNTIME_JSON} with getenv when an instance is created). Java has no setenv; libc has.
 * Linux only, like the rest of this client.
 */
public final class XrEnvironment {
  private static long setenv;

  private XrEnvironment() {}

  /** setenv(3) for this process: later native getenv calls see {@code value}. */
  public static synchronized void set(String name, String value) {
    if (setenv == 0) {
      long libc = DynamicLinkLoader.dlopen("libc.so.6", DynamicLinkLoader.RTLD_NOW);
      if (libc == 0) {
        throw new IllegalStateException("cannot open libc.so.6 to set " + name + ": " + DynamicLinkLoader.dlerror());
      }
      setenv = DynamicLinkLoader.dlsym(libc, "setenv");
      if (setenv == 0) {
        throw new IllegalStateException("libc has no setenv");
      }
    }
    try (MemoryStack stack = MemoryStack.stackPush()) {
      int rc = JNI.invokePPI(MemoryUtil.memAddress(stack.UTF8(name)), MemoryUtil.memAddress(stack.UTF8(value)), 1, setenv);
      if (rc != 0) {
        throw new IllegalStateException("setenv(" + name + ") failed");
      }
    }
  }
}
