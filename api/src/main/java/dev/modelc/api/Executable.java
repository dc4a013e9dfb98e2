package dev.modelc.api;

import dev.modelc.runtime.Tensor;
import java.util.Map;

/** One compiled entry of a model: named tensors in (inputs, params, state), named results out. */
interface Executable {
    Map<String, Tensor> run(Map<String, Tensor> inputs);
}
