package dev.modelc.runtime.train;

import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.io.SafeTensors;
import dev.modelc.runtime.io.TensorFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training run saved to resume it exactly: the params, the optimiser state, how many optimiser
 * steps ran (dropout keys and Adam's bias correction depend on it), the position in the data,
 * and the seed and batch size that fix the order of batches. One safetensors file, written
 * atomically; the numbers go in its metadata, doubles as hexadecimal text so they survive exactly.
 * Params are the tensors whose names have no dot; optimiser state is named {@code param.state}.
 */
public record Checkpoint(String model, long seed, long batch, long steps, Position position,
                         Map<String, Tensor> params, Map<String, Tensor> state) {
    private static final String FORMAT = "modelc-checkpoint-1";
    private static final String SUM = "modelc.sum.";

    public Checkpoint {
        params = Map.copyOf(params);
        state = Map.copyOf(state);
    }

    public void write(Path file) throws IOException {
        var tensors = new LinkedHashMap<String, Tensor>(params);
        tensors.putAll(state);
        var meta = new LinkedHashMap<String, String>();
        meta.put("modelc.format", FORMAT);
        meta.put("modelc.model", model);
        meta.put("modelc.seed", Long.toString(seed));
        meta.put("modelc.batch", Long.toString(batch));
        meta.put("modelc.steps", Long.toString(steps));
        meta.put("modelc.epoch", Long.toString(position.epoch()));
        meta.put("modelc.batches", Long.toString(position.batches()));
        meta.put("modelc.samples", Long.toString(position.samples()));
        position.sums().forEach((k, v) -> meta.put(SUM + k, Double.toHexString(v)));
        SafeTensors.write(file, tensors, meta);
    }

    public static Checkpoint read(Path file) throws IOException {
        var contents = SafeTensors.readWithMetadata(file);
        var meta = contents.metadata();
        if (!FORMAT.equals(meta.get("modelc.format"))) {
            throw new TensorFormatException(file.toString(), "is not a modelc training checkpoint (no modelc.format="
                    + FORMAT + " in its metadata)");
        }
        var params = new LinkedHashMap<String, Tensor>();
        var state = new LinkedHashMap<String, Tensor>();
        contents.tensors().forEach((k, v) -> (k.contains(".") ? state : params).put(k, v));
        var sums = new HashMap<String, Double>();
        for (var e : meta.entrySet()) {
            if (e.getKey().startsWith(SUM)) sums.put(e.getKey().substring(SUM.length()), number(file, e.getKey(), e.getValue()));
        }
        var position = new Position(integer(file, meta, "modelc.epoch"), integer(file, meta, "modelc.batches"), sums,
                integer(file, meta, "modelc.samples"));
        String model = meta.get("modelc.model");
        if (model == null) throw new TensorFormatException(file.toString(), "metadata lacks modelc.model");
        return new Checkpoint(model, integer(file, meta, "modelc.seed"), integer(file, meta, "modelc.batch"),
                integer(file, meta, "modelc.steps"), position, params, state);
    }

    private static long integer(Path file, Map<String, String> meta, String key) throws TensorFormatException {
        String v = meta.get(key);
        try {
            if (v == null) throw new NumberFormatException("missing");
            long n = Long.parseLong(v);
            if (n < 0 && !key.equals("modelc.seed")) throw new NumberFormatException("negative");
            return n;
        } catch (NumberFormatException e) {
            throw new TensorFormatException(file.toString(), "metadata " + key + " should be an integer, got " + v);
        }
    }

    private static double number(Path file, String key, String v) throws TensorFormatException {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new TensorFormatException(file.toString(), "metadata " + key + " should be a number, got " + v);
        }
    }
}
