package dev.modelc.runtime.data;

import java.util.Objects;
import java.util.Optional;

/** A dataset's training samples and, where the dataset has them, its test samples. */
public record Splits(Dataset train, Optional<Dataset> test) {
    public Splits {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
    }
}
