package io.optimus.policy.data;

import java.util.List;

/**
 * Every imitated (episode, tick) of a list of episodes as one training sample, filled into flat batch
 * arrays on demand (the dataset is never expanded H-fold in memory).
 */
public final class SampleWindows {
  private final List<EpisodeData> episodes;
  private final ObservationLayout layout;
  private final Normalizer normalizer;
  private final int[] episodeOf;
  private final int[] tickOf;

  public SampleWindows(List<EpisodeData> episodes, ObservationLayout layout, Normalizer normalizer) {
    this.episodes = episodes;
    this.layout = layout;
    this.normalizer = normalizer;
    int n = 0;
    for (EpisodeData e : episodes) {
      for (int t = 0; t < e.length(); t++) {
        n += e.imitated(t) ? 1 : 0;
      }
    }
    episodeOf = new int[n];
    tickOf = new int[n];
    int k = 0;
    for (int e = 0; e < episodes.size(); e++) {
      for (int t = 0; t < episodes.get(e).length(); t++) {
        if (episodes.get(e).imitated(t)) {
          episodeOf[k] = e;
          tickOf[k] = t;
          k++;
        }
      }
    }
  }

  public int size() {
    return episodeOf.length;
  }

  public ObservationLayout layout() {
    return layout;
  }

  /** Fills rows {@code ids} into state (B x S), features (B x F, may be null) and actions (B x H*J). */
  public void fill(int[] ids, int from, int count, float[] state, float[] features, float[] actions) {
    int s = layout.stateSize();
    int f = layout.featureSize();
    int a = layout.actionSize();
    for (int b = 0; b < count; b++) {
      int id = ids[from + b];
      EpisodeData e = episodes.get(episodeOf[id]);
      int t = tickOf[id];
      layout.encodeState(normalizer, e.q()[t], e.dq()[t], k -> e.q()[Math.max(0, t - k)], state, b * s);
      if (features != null) {
        layout.encodeFeatures(normalizer, e.features()[t], features, b * f);
      }
      layout.encodeActions(normalizer, e.commanded(), t, actions, b * a);
    }
  }
}
