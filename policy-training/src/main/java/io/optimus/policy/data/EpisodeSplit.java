package io.optimus.policy.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Train/validation split by whole episodes (never by tick: neighbouring ticks are near copies, so a
 * tick-level split would leak). Seeded; at least one training episode, and one validation episode
 * whenever the fraction is positive and there are two or more episodes.
 */
public record EpisodeSplit(List<EpisodeData> train, List<EpisodeData> validation) {
  public static EpisodeSplit of(List<EpisodeData> episodes, double validationFraction, long seed) {
    List<EpisodeData> shuffled = new ArrayList<>(episodes);
    java.util.Collections.shuffle(shuffled, new Random(seed ^ 0x5eed5eedL));
    int nVal = (int) Math.round(episodes.size() * validationFraction);
    if (validationFraction > 0 && episodes.size() >= 2) {
      nVal = Math.max(1, nVal);
    }
    nVal = Math.min(nVal, episodes.size() - 1);
    return new EpisodeSplit(List.copyOf(shuffled.subList(nVal, shuffled.size())), List.copyOf(shuffled.subList(0, nVal)));
  }
}
