package dev.modelc.api;

/** A model's train block, defaults filled in; the command line may override each. */
public record TrainingDefaults(long batch, long epochs, long seed, boolean shuffle, String optimizer) {}
