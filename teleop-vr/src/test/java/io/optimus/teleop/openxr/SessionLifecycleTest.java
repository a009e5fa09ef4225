package io.optimus.teleop.openxr;

import static io.optimus.teleop.openxr.SessionLifecycle.Action.*;
import static io.optimus.teleop.openxr.SessionLifecycle.State.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.lwjgl.openxr.XR10;

class SessionLifecycleTest {
  @Test
  void normalRunBeginsOnReadyEndsOnStoppingFinishesOnExiting() {
    SessionLifecycle l = new SessionLifecycle();
    assertEquals(NONE, l.onStateChanged(IDLE));
    assertEquals(BEGIN_SESSION, l.onStateChanged(READY));
    l.began();
    assertTrue(l.running());
    assertEquals(NONE, l.onStateChanged(SYNCHRONIZED));
    assertFalse(l.visible());
    assertEquals(NONE, l.onStateChanged(VISIBLE));
    assertTrue(l.visible());
    assertFalse(l.focused());
    assertEquals(NONE, l.onStateChanged(FOCUSED));
    assertTrue(l.focused());
    assertEquals(NONE, l.onStateChanged(VISIBLE));
    assertEquals(NONE, l.onStateChanged(SYNCHRONIZED));
    assertEquals(END_SESSION, l.onStateChanged(STOPPING));
    l.ended();
    assertFalse(l.running());
    assertEquals(NONE, l.onStateChanged(IDLE));
    assertFalse(l.finished());
    assertEquals(EXIT, l.onStateChanged(EXITING));
    assertTrue(l.finished());
  }

  @Test
  void lossPendingFinishesFromAnyState() {
    SessionLifecycle l = new SessionLifecycle();
    l.onStateChanged(READY);
    l.began();
    l.onStateChanged(FOCUSED);
    assertEquals(LOST, l.onStateChanged(LOSS_PENDING));
    assertTrue(l.finished());
  }

  @Test
  void readyWhileRunningAndStoppingWhileStoppedAreIgnored() {
    SessionLifecycle l = new SessionLifecycle();
    assertEquals(NONE, l.onStateChanged(STOPPING));
    l.onStateChanged(READY);
    l.began();
    assertEquals(NONE, l.onStateChanged(READY));
  }

  @Test
  void mapsEveryOpenXrState() {
    assertEquals(IDLE, SessionLifecycle.stateOf(XR10.XR_SESSION_STATE_IDLE));
    assertEquals(READY, SessionLifecycle.stateOf(XR10.XR_SESSION_STATE_READY));
    assertEquals(SYNCHRONIZED, SessionLifecycle.stateOf(XR10.XR_SESSION_STATE_SYNCHRONIZED));
    assertEquals(VISIBLE, SessionLifecycle.stateOf(XR10.XR_SESSION_STATE_VISIBLE));
    assertEquals(FOCUSED, SessionLifecycle.stateOf(XR10.XR_SESSION_STATE_FOCUSED));
    assertEquals(STOPPING, SessionLifecycle.stateOf(XR10.XR_SESSION_STATE_STOPPING));
    assertEquals(LOSS_PENDING, SessionLifecycle.stateOf(XR10.XR_SESSION_STATE_LOSS_PENDING));
    assertEquals(EXITING, SessionLifecycle.stateOf(XR10.XR_SESSION_STATE_EXITING));
    assertEquals(UNKNOWN, SessionLifecycle.stateOf(12345));
  }
}
