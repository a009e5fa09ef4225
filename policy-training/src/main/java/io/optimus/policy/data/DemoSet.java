package io.optimus.policy.data;

import io.optimus.policy.encode.FeatureShape;
import java.util.List;

/**
 * Demonstrations ready for training: the joint layout, the image feature shape (null without
 * images), how the features were made (the encoder id, so a policy refuses features from another
 * encoder), the episodes, and the cameras whose features each tick holds, in order (one view of the
 * feature shape each).
 */
public record DemoSet(JointLayout joints, FeatureShape featureShape, String encoderId, double rateHz,
    List<EpisodeData> episodes, List<String> cameras) {
  /** Features of the head camera (or none). */
  public DemoSet(JointLayout joints, FeatureShape featureShape, String encoderId, double rateHz,
      List<EpisodeData> episodes) {
    this(joints, featureShape, encoderId, rateHz, episodes, List.of(RecordedDemos.CAMERA));
  }

  public DemoSet {
    episodes = List.copyOf(episodes);
    cameras = List.copyOf(cameras);
    if (featureShape != null && featureShape.views() != cameras.size()) {
      throw new IllegalArgumentException("feature shape has " + featureShape.views() + " views for cameras " + cameras);
    }
    if (episodes.isEmpty()) {
      throw new io.optimus.common.InputException("demonstration set is empty");
    }
    int j = joints.size();
    for (EpisodeData e : episodes) {
      if (e.q()[0].length != j || e.commanded()[0].length != j) {
        throw new io.optimus.common.InputException("episode " + e.id() + " has " + e.q()[0].length
            + " joints, the set has " + j);
      }
      if ((featureShape == null) != (e.features() == null)
          || (featureShape != null && e.features()[0].length != featureShape.size())) {
        throw new io.optimus.common.InputException("episode " + e.id() + ": image features do not match the set");
      }
    }
  }

  public boolean hasImages() {
    return featureShape != null;
  }

  public int totalTicks() {
    return episodes.stream().mapToInt(EpisodeData::length).sum();
  }

  public DemoSet withEpisodes(List<EpisodeData> subset) {
    return new DemoSet(joints, featureShape, encoderId, rateHz, subset, cameras);
  }
}
