package io.optimus.perception.train;

/**
 * Training produced a non-finite loss; the run stops before the update that would spread it into
 * the weights. The message names the step so the user can lower the learning rate or report it.
 */
public final class TrainingDivergedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;
  private final int step;

  public TrainingDivergedException(int step, int epoch, double loss) {
    super("training diverged at step " + step + " (epoch " + epoch + "): loss is " + loss
        + "; try a smaller --lr");
    this.step = step;
  }

  /** The 1-based optimizer step whose loss was not finite. */
  public int step() {
    return step;
  }
}
