package dev.modelc.runtime;

import java.util.List;
import java.util.Map;

/**
 * A compiled program run again and again with some inputs resident: their values live in the
 * program's own storage (Java arrays, native memory or GPU memory) and outlive every run, and
 * after a run the result of the same name is the input's new value. A training step runs this
 * way, so params and optimiser state stay where the kernels are and only the batch is copied in.
 * One run at a time.
 */
public interface ResidentProgram {
    /** The resident inputs, in the program's order. */
    List<String> residents();

    /** Sets a resident input's value (copied in). */
    void put(String name, Tensor value);

    /** Sets a resident scalar input of a floating-point type. */
    void putScalar(String name, double value);

    /** Sets a resident scalar input of an integer type. */
    void putScalar(String name, long value);

    /** A fresh tensor holding a resident input's current value. */
    Tensor get(String name);

    /** Runs the program with the other inputs copied in whole. */
    void run(Map<String, Tensor> inputs, Map<String, Long> dims);

    /**
     * Runs the program with each input that is not resident taken as the rows {@code rows} of the
     * tensor given for it (a batch read straight from a dataset; null: the whole tensor).
     */
    void run(Map<String, Tensor> inputs, long[] rows, Map<String, Long> dims);

    /** A tensor per result of the last run that is not a resident's new value, by name (sorted). */
    Map<String, Tensor> results();

    /** Element 0 of a result of the last run, as a double. */
    double scalar(String result);
}
