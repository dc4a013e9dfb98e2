package dev.modelc.cli;

import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads an enum option by the label its constants print as ({@code toString()}), so that the
 * command line says {@code llvm-cpu} where Java says {@code LLVM_CPU}.
 */
final class LabeledEnum<E extends Enum<E>> implements ITypeConverter<E> {

    private final Class<E> type;

    private LabeledEnum(Class<E> type) {
        this.type = type;
    }

    static <E extends Enum<E>> void register(CommandLine commandLine, Class<E> type) {
        commandLine.registerConverter(type, new LabeledEnum<>(type));
    }

    @Override
    public E convert(String text) {
        for (E constant : type.getEnumConstants()) {
            if (constant.toString().equals(text)) {
                return constant;
            }
        }
        String labels = Arrays.stream(type.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
        throw new TypeConversionException("'" + text + "' is not one of: " + labels);
    }
}
