package dev.jbox.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The parsed template, shaped as Go's text/template/parse shapes it: text and actions; if, range
 * and with, each with an optional else; pipelines of commands; and the operands of a command.
 * {@code toString()} gives back the source form, for error messages ({@code at <.State.Foo>}).
 */
sealed interface TemplateNode {
    int pos();

    record Text(int pos, String text) implements TemplateNode {
    }

    /** {{pipeline}}: prints the value, unless the pipeline declares a variable. */
    record Action(int pos, Pipe pipe) implements TemplateNode {
        @Override
        public String toString() {
            return "{{" + pipe + "}}";
        }
    }

    /** if, range or with: the body runs (with a new dot for range and with), or else the otherwise part. */
    record Control(int pos, Kind kind, Pipe pipe, List<TemplateNode> body, List<TemplateNode> otherwise)
            implements TemplateNode {
        enum Kind { IF, RANGE, WITH }

        @Override
        public String toString() {
            return "{{" + kind.name().toLowerCase() + " " + pipe + "}}";
        }
    }

    record Break(int pos) implements TemplateNode {
        @Override
        public String toString() {
            return "{{break}}";
        }
    }

    record Continue(int pos) implements TemplateNode {
        @Override
        public String toString() {
            return "{{continue}}";
        }
    }

    /** {@code $x := cmd | cmd}: {@code assign} is {@code =} rather than {@code :=}. */
    record Pipe(int pos, List<String> variables, boolean assign, List<Command> commands) implements TemplateNode {
        @Override
        public String toString() {
            String cmds = commands.stream().map(Object::toString).collect(Collectors.joining(" | "));
            return variables.isEmpty() ? cmds : String.join(", ", variables) + (assign ? " = " : " := ") + cmds;
        }
    }

    record Command(int pos, List<Operand> operands) implements TemplateNode {
        @Override
        public String toString() {
            return operands.stream().map(Object::toString).collect(Collectors.joining(" "));
        }
    }

    sealed interface Operand extends TemplateNode {
    }

    /** .A.B: fields of dot. */
    record Field(int pos, List<String> names) implements Operand {
        @Override
        public String toString() {
            return "." + String.join(".", names);
        }
    }

    /** $x.A.B: a variable, with fields of it. */
    record Variable(int pos, String name, List<String> names) implements Operand {
        @Override
        public String toString() {
            return name + (names.isEmpty() ? "" : "." + String.join(".", names));
        }
    }

    record Dot(int pos) implements Operand {
        @Override
        public String toString() {
            return ".";
        }
    }

    record Nil(int pos) implements Operand {
        @Override
        public String toString() {
            return "nil";
        }
    }

    /** A function's name: it is called with the command's other operands. */
    record Function(int pos, String name) implements Operand {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A string, number or boolean written in the template. */
    record Literal(int pos, String text, JsonNode value) implements Operand {
        @Override
        public String toString() {
            return text;
        }
    }

    /** (pipeline).A.B */
    record Chain(int pos, Pipe pipe, List<String> names) implements Operand {
        @Override
        public String toString() {
            return "(" + pipe + ")" + (names.isEmpty() ? "" : "." + String.join(".", names));
        }
    }
}
