package dev.modelc.resolve;

import java.util.List;

/** The root module and every module it reaches through imports, each with its scope (root first). */
public record Program(ModuleScope root, List<ModuleScope> modules) {}
