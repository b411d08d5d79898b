package dev.jbox.cli;

import picocli.CommandLine;

/**
 * Checks one {@code -e} of {@code run} as Docker does: a variable needs a name, so {@code -e =x}
 * is refused ("invalid environment variable: =x", exit 125) before anything is made. Docker
 * leaves every other name alone ({@code 1x}, {@code a.b}, {@code my var}): what a name may hold
 * is the program's business, and the kernel passes any string without "=" and NUL.
 */
final class EnvOption implements CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String value) {
        int eq = value.indexOf('=');
        if ((eq < 0 ? value : value.substring(0, eq)).isEmpty()) {
            throw new CommandLine.TypeConversionException("invalid environment variable: " + value
                    + " (a variable needs a name: -e NAME=VALUE)");
        }
        return value;
    }
}
