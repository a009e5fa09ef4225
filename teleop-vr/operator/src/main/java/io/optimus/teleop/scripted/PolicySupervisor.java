package io.optimus.teleop.scripted;

import io.optimus.motion.geometry.Vec3;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.TaskState;
import io.optimus.teleop.source.PoseSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code teleop --source scripted:TASK --supervise}: the scripted operator supervising a policy that drives
 * the robot ({@code optimus policy deploy}, or any source but teleop). It holds the deadman and plans the
 * task alongside, from the robot as it is (task state, palms as seen), as the data engine's expert does; every
 * frame the {@link TakeoverRule} judges the robot against that plan. When it fires, the operator clicks the
 * right thumbstick, the VR client's takeover action (OPERATOR_EVENT_TAKEOVER through the normal control
 * mapping; {@link #takeoverReason} is the event's text, which the robot records with the intervention), drives
 * the rest of the episode itself and, once it has withdrawn and judged the episode, clicks
 * again to hand back. Whether the robot took it is the bridge's word ({@code BridgeStatus.taken_over}): a
 * refused takeover (no deadman, an e-stop) is counted and the watch goes on; a hand-back is clicked again
 * until the bridge confirms it. Nothing is judged while the operator itself drives (the bridge's source is
 * teleop) or while its plan is between episodes.
 */
public final class PolicySupervisor implements PoseSource {
  private static final Logger LOG = LoggerFactory.getLogger(PolicySupervisor.class);
  /** How long a click holds the stick down (a person's click). */
  static final long CLICK_NS = 150_000_000L;
  /** How long to wait for the bridge to confirm a takeover or hand-back before counting it refused (or re-clicking). */
  static final long CONFIRM_NS = 2_000_000_000L;
  /** Planner phases after the attempt (judged, stopping, waiting for the next layout): the episode is over. */
  static final Set<String> OVER = Set.of("JUDGE", "STOP_RECORDING", "WAIT_RESET", "DONE");

  /** One takeover: episode (1-based), seconds since the start, why, and how it went. */
  public record Intervention(int episode, double atS, String reason, boolean taken, boolean handedBack) {}

  /** Told of each step, for the CLI's progress lines. */
  @FunctionalInterface
  public interface Listener {
    void note(String what);
  }

  private enum State { WATCHING, TAKING_OVER, DRIVING, HANDING_BACK }

  private final ScriptedOperator operator;
  private final TakeoverRule rule;
  private final Supplier<TaskState> task;
  private final PalmFeedback palms;
  private final BooleanSupplier takenOver;
  private final Supplier<String> driver;
  private final List<Intervention> interventions = new ArrayList<>();
  private final long periodNs;
  private Listener listener = w -> { };
  private State state = State.WATCHING;
  private TakeoverRule.Watch watch;
  private TaskProgress progress = new TaskProgress();
  private int episode = -1;
  private long startNs = -1;
  private long lastNs = -1;
  private long clickFromNs = Long.MIN_VALUE;
  private long stateSinceNs;
  private String reason;
  private int refused;
  private double worstDeviationM;

  /**
   * @param operator the scripted operator, watching the robot's palms through {@code palms}
   * @param takenOver the bridge says the operator has taken over ({@code BridgeStatus.taken_over})
   * @param driver the bridge's action source ("teleop", "command", "policy:NAME"; empty: not known yet)
   */
  public PolicySupervisor(ScriptedOperator operator, TakeoverRule rule, Supplier<TaskState> task, PalmFeedback palms,
      BooleanSupplier takenOver, Supplier<String> driver, double rateHz) {
    this.operator = operator;
    this.rule = rule;
    this.task = task;
    this.palms = palms;
    this.takenOver = takenOver;
    this.driver = driver;
    this.periodNs = (long) (1e9 / rateHz);
    this.watch = rule.watch();
  }

  public PolicySupervisor listener(Listener l) {
    this.listener = l;
    return this;
  }

  public ScriptedPlanner planner() {
    return operator.planner();
  }

  /** The takeovers so far (a refused one with {@code taken} false). */
  public List<Intervention> interventions() {
    return List.copyOf(interventions);
  }

  /** Takeovers the bridge did not take (no engaged operator, an e-stop). */
  public int refused() {
    return refused;
  }

  /** Why it is taking over (the rule's words) while its takeover click is out; null otherwise. */
  public String takeoverReason() {
    return state == State.TAKING_OVER ? reason : null;
  }

  /** The largest palm distance from the plan seen while the policy drove (m). */
  public double worstDeviationM() {
    return worstDeviationM;
  }

  @Override
  public String name() {
    return operator.name();
  }

  @Override
  public Optional<OperatorFrame.Builder> next() throws InterruptedException {
    if (operator.planner().finished()) {
      if (state != State.HANDING_BACK && state != State.DRIVING) {
        return Optional.empty();
      }
      // the plan has ended but the robot is not handed back yet: keep clicking (bounded: 3 confirm windows)
      if (System.nanoTime() - stateSinceNs > 3 * CONFIRM_NS) {
        LOG.warn("{}: the robot did not confirm the hand-back", name());
        return Optional.empty();
      }
      Thread.sleep(periodNs / 1_000_000L, (int) (periodNs % 1_000_000L));
      return Optional.of(frameAt(System.nanoTime()));
    }
    Optional<OperatorFrame.Builder> f = operator.next();
    f.ifPresent(b -> supervise(b, b.getCaptureTime().getMonotonicNs()));
    return f;
  }

  /** The frame for monotonic time {@code tickNs} (tests drive time without waiting). */
  public OperatorFrame.Builder frameAt(long tickNs) {
    OperatorFrame.Builder f = operator.frameAt(tickNs);
    supervise(f, tickNs);
    return f;
  }

  private void supervise(OperatorFrame.Builder f, long now) {
    if (startNs < 0) {
      startNs = now;
    }
    double dt = lastNs < 0 ? 0 : (now - lastNs) / 1e9;
    lastNs = now;
    ScriptedPlanner p = operator.planner();
    String phase = p.phase().name();
    boolean over = OVER.contains(phase);
    if (p.episodesDone() != episode && state == State.WATCHING) { // a new episode: a fresh watch
      episode = p.episodesDone();
      watch = rule.watch();
      progress = new TaskProgress();
    }
    boolean robotTakenOver = takenOver.getAsBoolean();
    switch (state) {
      case WATCHING -> {
        String source = driver.get();
        boolean policyDrives = source != null && !source.isEmpty() && !source.equals("teleop") && !robotTakenOver;
        if (policyDrives && !over) {
          TaskState t = task.get();
          double deviation = deviationM();
          if (deviation > worstDeviationM) {
            worstDeviationM = deviation;
          }
          String why = watch.judge(dt, deviation, phase, false, t != null && t.getSuccess(), progress.of(t));
          if (why != null) {
            reason = why;
            click(now, State.TAKING_OVER);
            listener.note("episode " + (episode + 1) + ": taking over from " + source + " (" + why + ")");
            LOG.info("{}: taking over from {}: {}", name(), source, why);
          }
        }
      }
      case TAKING_OVER -> {
        if (robotTakenOver && now - clickFromNs >= CLICK_NS) {
          interventions.add(new Intervention(episode + 1, (clickFromNs - startNs) / 1e9, reason, true, false));
          state(now, State.DRIVING);
          listener.note("episode " + (episode + 1) + ": took over");
        } else if (now - clickFromNs > CLICK_NS + CONFIRM_NS) {
          refused++;
          interventions.add(new Intervention(episode + 1, (clickFromNs - startNs) / 1e9, reason, false, false));
          listener.note("episode " + (episode + 1) + ": the robot did not take the takeover; watching on");
          LOG.warn("{}: takeover not taken by the robot within {} s", name(), CONFIRM_NS / 1e9);
          watch = rule.watch();
          state(now, State.WATCHING);
        }
      }
      case DRIVING -> {
        if (over || p.episodesDone() != episode) { // withdrawn and judged: give the robot back
          click(now, State.HANDING_BACK);
          listener.note("episode " + (episode + 1) + ": handing back (" + (task.get() != null && task.get().getSuccess()
              ? "task done" : "task not done") + ")");
        }
      }
      case HANDING_BACK -> {
        if (!robotTakenOver && now - clickFromNs >= CLICK_NS) {
          Intervention last = interventions.remove(interventions.size() - 1);
          interventions.add(new Intervention(last.episode(), last.atS(), last.reason(), true, true));
          listener.note("episode " + (episode + 1) + ": handed back");
          state(now, State.WATCHING);
        } else if (now - clickFromNs > CLICK_NS + CONFIRM_NS) {
          click(now, State.HANDING_BACK); // not confirmed: click again
        }
      }
    }
    if (now >= clickFromNs && now - clickFromNs < CLICK_NS) {
      f.getRightBuilder().getButtonsBuilder().setThumbstickClick(true);
    }
  }

  private void click(long now, State next) {
    clickFromNs = now;
    state(now, next);
  }

  private void state(long now, State next) {
    state = next;
    stateSinceNs = now;
  }

  /** The largest distance of a robot palm (as seen) from the operator's plan for it (robot frame); NaN: unknown. */
  private double deviationM() {
    PickPlacePlanner.Output out = operator.lastOutput();
    double worst = Double.NaN;
    for (int h = 0; h < 2; h++) {
      Vec3 seen = palms.palm(h);
      if (seen != null && out.palm[h] != null) {
        double d = seen.distance(out.palm[h].translation());
        worst = Double.isNaN(worst) ? d : Math.max(worst, d);
      }
    }
    return worst;
  }
}
