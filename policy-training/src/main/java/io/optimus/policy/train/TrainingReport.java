package io.optimus.policy.train;

/** What a finished training run measured. */
public record TrainingReport(String run, String kind, int steps, int resumedFromStep, int trainEpisodes,
    int validationEpisodes, int trainSamples, double finalTrainLoss, double finalValidationLoss,
    double samplesPerSecond, double seconds, ActionErrors heldOut) {}
