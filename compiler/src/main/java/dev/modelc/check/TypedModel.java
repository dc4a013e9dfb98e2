package dev.modelc.check;

import dev.modelc.syntax.Ast;
import java.util.List;
import java.util.Map;

/**
 * A checked model: its dimension variables (bound by inputs at run time), every member with its
 * type, the training settings, and the type of every expression in it.
 */
public record TypedModel(Ast.ModelDecl decl, List<String> dimVars, List<Member> members, TrainSettings train,
                         Map<Ast.Expr, Typed> types, Map<Ast.Call, FnInstance> calls) {

    public enum Kind { INPUT, PARAM, CONST, LET, OUTPUT, LOSS, METRIC }

    /** One member; {@code init} is the initialiser of a param/const (null when absent). */
    public record Member(Kind kind, String name, Ast.Member decl, Typed typed, InitSpec init) {}

    /** The train block, defaults filled in; {@code optimizer} is null when the model has no train block. */
    public record TrainSettings(OptimizerChoice optimizer, long batch, long epochs, long seed, boolean shuffle) {}

    /**
     * An optimiser function, the hyperparameters chosen for it (defaults filled in), and its
     * instance for each param's shape, by param name.
     */
    public record OptimizerChoice(dev.modelc.resolve.FnRef fn, List<String> states, Map<String, Object> hyper,
                                  Map<String, FnInstance> updates) {}
}
