package dev.jbox.build;

import java.util.List;
import java.util.Map;

/**
 * One instruction of a Dockerfile, as written: its keyword (upper case), the {@code --flag=value}
 * options before its arguments, and the arguments either in JSON form ({@code json} not null) or as
 * the rest of the line ({@code text}, continuation lines joined).
 *
 * @param line     the line it starts on, for errors
 * @param original the instruction as written (keyword and all), for "Step N/M : ..."
 */
public record Instruction(int line, String keyword, Map<String, String> flags, String text, List<String> json,
                          String original) {
    public Instruction {
        flags = Map.copyOf(flags);
        json = json == null ? null : List.copyOf(json);
    }

    public boolean isJson() {
        return json != null;
    }

    public String flag(String name) {
        return flags.get(name);
    }
}
