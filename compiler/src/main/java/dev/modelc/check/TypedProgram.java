package dev.modelc.check;

import dev.modelc.resolve.Program;
import dev.modelc.syntax.Ast;
import java.util.List;
import java.util.Map;

/** The output of checking: the resolved program, its typed models and functions, and each call's instance. */
public record TypedProgram(Program program, List<TypedModel> models, List<TypedFunction> functions,
                           Map<Ast.Call, FnInstance> instances) {}
