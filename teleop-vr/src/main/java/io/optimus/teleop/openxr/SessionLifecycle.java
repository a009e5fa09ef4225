package io.optimus.teleop.openxr;

import static org.lwjgl.openxr.XR10.*;

/**
 * The OpenXR session state machine, free of native calls so it can be reasoned about and tested
 * alone. Each state change tells the client what to do: READY -> begin the session; STOPPING -> end
 * it; EXITING -> destroy it (the user or runtime asked to quit); LOSS_PENDING -> destroy it (the
 * headset went away; a new session may be tried later). IDLE, SYNCHRONIZED, VISIBLE and FOCUSED only
 * change what a frame may do: frames run from begin to end, inputs are live only while FOCUSED,
 * layers are shown only while VISIBLE or FOCUSED.
 */
public final class SessionLifecycle {
  /** What the client must do after a state change. */
  public enum Action { NONE, BEGIN_SESSION, END_SESSION, EXIT, LOST }

  /** The state names, as the specification spells them. */
  public enum State { UNKNOWN, IDLE, READY, SYNCHRONIZED, VISIBLE, FOCUSED, STOPPING, LOSS_PENDING, EXITING }

  private State state = State.UNKNOWN;
  private boolean running;
  private boolean finished;

  public static State stateOf(int xrSessionState) {
    return switch (xrSessionState) {
      case XR_SESSION_STATE_IDLE -> State.IDLE;
      case XR_SESSION_STATE_READY -> State.READY;
      case XR_SESSION_STATE_SYNCHRONIZED -> State.SYNCHRONIZED;
      case XR_SESSION_STATE_VISIBLE -> State.VISIBLE;
      case XR_SESSION_STATE_FOCUSED -> State.FOCUSED;
      case XR_SESSION_STATE_STOPPING -> State.STOPPING;
      case XR_SESSION_STATE_LOSS_PENDING -> State.LOSS_PENDING;
      case XR_SESSION_STATE_EXITING -> State.EXITING;
      default -> State.UNKNOWN;
    };
  }

  /** Records the new state and says what to do about it. */
  public Action onStateChanged(State next) {
    state = next;
    return switch (next) {
      case READY -> running ? Action.NONE : Action.BEGIN_SESSION;
      case STOPPING -> running ? Action.END_SESSION : Action.NONE;
      case EXITING -> { finished = true; yield Action.EXIT; }
      case LOSS_PENDING -> { finished = true; yield Action.LOST; }
      default -> Action.NONE;
    };
  }

  /** The client began the session (after BEGIN_SESSION succeeded). */
  public void began() {
    running = true;
  }

  /** The client ended the session (after END_SESSION succeeded), or lost it. */
  public void ended() {
    running = false;
  }

  public State state() {
    return state;
  }

  /** Between xrBeginSession and xrEndSession: the frame loop runs. */
  public boolean running() {
    return running;
  }

  /** Inputs are only delivered to the focused session. */
  public boolean focused() {
    return state == State.FOCUSED;
  }

  /** Layers are only shown while visible. */
  public boolean visible() {
    return state == State.VISIBLE || state == State.FOCUSED;
  }

  /** EXITING or LOSS_PENDING arrived: the session is over. */
  public boolean finished() {
    return finished;
  }
}
