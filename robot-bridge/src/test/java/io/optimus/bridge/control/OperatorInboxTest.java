package io.optimus.bridge.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Session ownership and the sequence and clock checks of the operator stream, on a stepped clock. */
class OperatorInboxTest {
  static final long MS = 1_000_000L;

  static OperatorFrame frame(String operator, String session, long seq, long captureMono) {
    return OperatorFrame.newBuilder().setSchemaVersion(1).setOperatorId(operator).setSessionId(session)
        .setSequence(seq).setCaptureTime(Timestamp.newBuilder().setMonotonicNs(captureMono)).build();
  }

  @Test
  void theFirstSessionOwnsTheRobotUntilItIsSilentForTheTimeoutOrReleased() {
    OperatorInbox inbox = new OperatorInbox(500 * MS);
    List<Long> claims = new ArrayList<>();
    inbox.onClaim(claims::add);
    long t = 1_000 * MS;
    assertTrue(inbox.admit(frame("ann", "a", 1, t), t).claimed());
    assertEquals(List.of(t), claims);
    var foreign = inbox.admit(frame("eve", "e", 1, t), t + MS);
    assertEquals(FrameDrop.FOREIGN_SESSION, foreign.drop());
    assertTrue(foreign.detail().contains("'a'"), foreign.detail());
    assertTrue(inbox.admit(frame("ann", "a", 2, t + 10 * MS), t + 10 * MS).accepted());
    assertFalse(inbox.linkLost(t + 500 * MS));
    // ann silent for over 500 ms: eve may claim, and the link counts as lost until someone does
    assertTrue(inbox.linkLost(t + 511 * MS));
    assertNull(inbox.owner(t + 511 * MS));
    var claim = inbox.admit(frame("eve", "e", 7, t + 520 * MS), t + 520 * MS);
    assertTrue(claim.accepted() && claim.claimed());
    assertEquals("eve", inbox.ownerOperator(t + 520 * MS));
    assertFalse(inbox.release("ann"), "only the owner's release counts");
    assertTrue(inbox.release("eve"));
    assertTrue(inbox.admit(frame("ann", "a2", 1, t + 530 * MS), t + 530 * MS).claimed());
    assertEquals(3, claims.size());
    // the same session back after a silence claims again, but is no new session
    assertTrue(inbox.admit(frame("ann", "a2", 2, t + 1100 * MS), t + 1100 * MS).claimed());
    assertEquals(3, claims.size());
  }

  @Test
  void absurdSequencesAndClockJumpsAreRefusedWithoutLockingTheOwnerOut() {
    OperatorInbox inbox = new OperatorInbox(500 * MS);
    long t = 5_000 * MS;
    long skew = 123_456 * MS; // another host's monotonic clock: any offset, as long as it stays put
    assertTrue(inbox.admit(frame("ann", "a", 10, t + skew), t).accepted());
    assertEquals(FrameDrop.SEQUENCE_JUMP, inbox.admit(frame("ann", "a", Long.MAX_VALUE, t + skew), t + MS).drop());
    assertEquals(FrameDrop.SEQUENCE_JUMP, inbox.admit(frame("ann", "a", -1L, t + skew), t + MS).drop());
    assertEquals(FrameDrop.STALE, inbox.admit(frame("ann", "a", 10, t + skew), t + MS).drop());
    assertEquals(FrameDrop.TIMESTAMP, inbox.admit(frame("ann", "a", 11, Long.MAX_VALUE), t + 2 * MS).drop());
    assertEquals(FrameDrop.TIMESTAMP, inbox.admit(frame("ann", "a", 11, t + skew + 6_000 * MS), t + 2 * MS).drop());
    assertEquals(FrameDrop.TIMESTAMP, inbox.admit(frame("ann", "a", 11, 1), t + 2 * MS).drop());
    assertTrue(inbox.admit(frame("ann", "a", 11, t + skew + 3 * MS), t + 3 * MS).accepted(), "ann carries on");
    assertTrue(inbox.admit(frame("ann", "a", 11 + OperatorInbox.MAX_SEQUENCE_JUMP, t + skew + 4 * MS), t + 4 * MS)
        .accepted(), "a large but possible loss of frames");
    // the same session numbering from 1 again (its client restarted) is heard once the old run lapsed
    assertEquals(FrameDrop.STALE, inbox.admit(frame("ann", "a", 1, t + skew + 100 * MS), t + 100 * MS).drop());
    var again = inbox.admit(frame("ann", "a", 1, t + skew + 600 * MS), t + 600 * MS);
    assertTrue(again.accepted() && again.claimed());
    assertNotNull(inbox.latest());
    assertEquals(1, inbox.latest().frame().getSequence());
  }

  @Test
  void captureTimesTheBridgeClockCannotBelieveAreNamed() {
    long wall = 1_780_000_000_000_000_000L;
    assertNull(OperatorFrameValidator.stampProblem(frame("a", "s", 1, 5), wall));
    assertNull(OperatorFrameValidator.stampProblem(frame("a", "s", 1, 5).toBuilder()
        .setCaptureTime(Timestamp.newBuilder().setWallNs(wall + 1_500 * MS)).build(), wall));
    String ahead = OperatorFrameValidator.stampProblem(frame("a", "s", 1, 5).toBuilder()
        .setCaptureTime(Timestamp.newBuilder().setWallNs(Long.MAX_VALUE)).build(), wall);
    assertTrue(ahead.contains("ahead of the bridge clock"), ahead);
    String behind = OperatorFrameValidator.stampProblem(frame("a", "s", 1, 5).toBuilder()
        .setCaptureTime(Timestamp.newBuilder().setWallNs(Long.MIN_VALUE)).build(), wall);
    assertTrue(behind.contains("behind the bridge clock"), behind);
    String mono = OperatorFrameValidator.stampProblem(frame("a", "s", 1, Long.MAX_VALUE), wall);
    assertTrue(mono.contains("monotonic_ns"), mono);
    String noSession = OperatorFrameValidator.problem(frame("a", "", 1, 5));
    assertTrue(noSession.contains("session_id"), noSession);
  }
}
