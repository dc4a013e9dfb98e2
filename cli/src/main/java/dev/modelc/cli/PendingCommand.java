package dev.modelc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command whose options are parsed and documented but whose work arrives with a later backend. */
abstract class PendingCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        throw new UserError("'" + spec.name() + "' is not available yet in this build");
    }
}
