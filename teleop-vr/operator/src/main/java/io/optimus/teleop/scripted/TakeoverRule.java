package io.optimus.teleop.scripted;

import io.optimus.common.InputException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * When the supervising expert takes the robot over from the policy (HG-DAgger's gate), shared by the data
 * engine's simulated rounds (policy-training's {@code SupervisedSource}) and the live scripted supervisor
 * ({@link PolicySupervisor}): it watches every control tick (or operator frame) and takes over when
 * <ul>
 *   <li><b>strayed</b>: a palm of the robot is more than {@code marginM} from where the expert would have it
 *       now (the expert's palm target, robot frame), without a break, for {@code dwellS}; or</li>
 *   <li><b>stalled</b>: the task has not got further ({@link TaskProgress}: an object held, lifted) for
 *       {@code stallS} (a policy hovering over the cube, closing on nothing, or dropping it, stays near the
 *       expert's palm and would never count as straying); or</li>
 *   <li><b>no progress</b>: the expert's own plan of the episode has run to its end (it judged the attempt)
 *       and the task is not done.</li>
 * </ul>
 * Nothing is judged while the expert is still getting ready ({@link #GRACE_PHASES}: waiting for the task,
 * settling its hands at rest), where it does not yet say where a palm should be. The margin is wide (10 cm)
 * and the dwell long (0.75 s) by default because the expert's plan runs on its own clock: a policy a few
 * tenths of a second behind it on the same path must not count as straying.
 *
 * @param marginM palm distance (m) from the expert's target beyond which the policy strays
 * @param dwellS how long (s) it must stray without a break before the expert takes over
 * @param stallS how long (s) the task may go without getting further once the expert is ready; the
 *     scripted operators take 3-4 s from reaching out to holding the cube, and as long again to place it
 */
public record TakeoverRule(double marginM, double dwellS, double stallS) {
  public static final TakeoverRule DEFAULT = new TakeoverRule(0.10, 0.75, 8);
  /** Expert phases in which nothing is judged (the names are shared by every scripted planner). */
  public static final Set<String> GRACE_PHASES = Set.of("WAIT_TASK", "SETTLE");

  public TakeoverRule {
    if (!(marginM > 0) || !Double.isFinite(marginM)) {
      throw new InputException("takeover margin must be a positive distance in metres, not " + marginM);
    }
    if (!(dwellS >= 0) || !Double.isFinite(dwellS)) {
      throw new InputException("takeover dwell must be a non-negative time in seconds, not " + dwellS);
    }
    if (!(stallS > 0) || !Double.isFinite(stallS)) {
      throw new InputException("takeover stall time must be a positive time in seconds, not " + stallS);
    }
  }

  public Map<String, Object> fields() {
    return Map.of("marginM", marginM, "dwellS", dwellS, "stallS", stallS, "gracePhases", GRACE_PHASES.stream().sorted().toList(),
        "noProgress", "the expert's plan of the episode ended with the task not done");
  }

  /** The rule's state over one episode: feed it every tick; it says why the expert takes over, once. */
  public Watch watch() {
    return new Watch();
  }

  /** One episode's judging. */
  public final class Watch {
    private double strayingS;
    private double worstM;
    private double stalledS;
    private int best;

    /**
     * One control tick.
     *
     * @param dt seconds since the previous tick
     * @param deviationM the largest distance of a robot palm from the expert's target for it (NaN: unknown)
     * @param expertPhase the expert's phase by name
     * @param expertEpisodeEnded the expert's plan of the episode has run to its end
     * @param taskDone the task world says the task succeeded
     * @param progress how far the task has got ({@link TaskProgress})
     * @return why the expert takes over now, or null to let the policy drive on
     */
    public String judge(double dt, double deviationM, String expertPhase, boolean expertEpisodeEnded,
        boolean taskDone, int progress) {
      if (taskDone) {
        return null;
      }
      if (expertEpisodeEnded) {
        return "no progress: the expert's plan ended with the task not done";
      }
      boolean ready = !GRACE_PHASES.contains(expertPhase);
      if (progress > best || !ready) {
        best = Math.max(best, progress);
        stalledS = 0;
      } else {
        stalledS += dt;
        if (stalledS >= stallS) {
          return String.format(Locale.ROOT, "stalled: the task got no further for %.1f s in the expert's %s",
              stalledS, expertPhase);
        }
      }
      if (!ready || !(deviationM > marginM)) {
        strayingS = 0;
        worstM = 0;
        return null;
      }
      strayingS += dt;
      worstM = Math.max(worstM, deviationM);
      if (strayingS >= dwellS) {
        return String.format(Locale.ROOT, "strayed: a palm %.0f cm (up to %.0f) from the expert's target for %.2f s"
            + " in the expert's %s", deviationM * 100, worstM * 100, strayingS, expertPhase);
      }
      return null;
    }

    /** How long the policy has been straying without a break (s). */
    public double strayingS() {
      return strayingS;
    }
  }
}
