package dev.jbox.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.jbox.cli.format.TemplateNode.Command;
import dev.jbox.cli.format.TemplateNode.Control;
import dev.jbox.cli.format.TemplateNode.Operand;
import dev.jbox.cli.format.TemplateNode.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a parsed template over a JSON tree, with Go's rules: dot is the data, then whatever
 * {@code range} or {@code with} moves it to; {@code $} is the data; a variable lives until the
 * {@code {{end}}} of the block it was made in; a pipeline's value goes in as the last argument of
 * the next command. A key that is not there is an error (Docker runs its templates with Go's
 * {@code missingkey=error}), except in a table's header row, where it is empty, as in Docker.
 */
final class TemplateExecutor {
    /** {{break}} and {{continue}} leave the body of a range this way. */
    private static final class Jump extends RuntimeException {
        final boolean isBreak;

        Jump(boolean isBreak) {
            super(null, null, false, false);
            this.isBreak = isBreak;
        }
    }

    private record Var(String name, JsonNode value) {
    }

    private final String src;
    private final Map<String, TemplateFunctions.Function> functions;
    private final boolean missingKeyIsEmpty;
    private final StringBuilder out = new StringBuilder();
    private final List<Var> vars = new ArrayList<>();

    private TemplateExecutor(String src, Map<String, TemplateFunctions.Function> functions, boolean missingKeyIsEmpty) {
        this.src = src;
        this.functions = functions;
        this.missingKeyIsEmpty = missingKeyIsEmpty;
    }

    static String run(String src, List<TemplateNode> tree, JsonNode data, Map<String, TemplateFunctions.Function> functions,
                      boolean missingKeyIsEmpty) {
        TemplateExecutor e = new TemplateExecutor(src, functions, missingKeyIsEmpty);
        e.vars.add(new Var("$", data));
        e.walk(data, tree);
        return e.out.toString();
    }

    private void walk(JsonNode dot, List<TemplateNode> nodes) {
        for (TemplateNode node : nodes) {
            if (node instanceof TemplateNode.Text t) {
                out.append(t.text());
            } else if (node instanceof TemplateNode.Action a) {
                JsonNode v = pipeline(dot, a.pipe());
                if (a.pipe().variables().isEmpty()) {
                    out.append(GoValues.print(v));
                }
            } else if (node instanceof Control c) {
                int mark = vars.size();
                try {
                    control(dot, c);
                } finally {
                    vars.subList(mark, vars.size()).clear();
                }
            } else {
                throw new Jump(node instanceof TemplateNode.Break);
            }
        }
    }

    private void control(JsonNode dot, Control c) {
        if (c.kind() == Control.Kind.RANGE) {
            range(dot, c);
            return;
        }
        JsonNode v = pipeline(dot, c.pipe());
        if (GoValues.truth(v)) {
            walk(c.kind() == Control.Kind.WITH ? v : dot, c.body());
        } else {
            walk(dot, c.otherwise());
        }
    }

    private void range(JsonNode dot, Control c) {
        JsonNode v = commands(dot, c.pipe());
        List<JsonNode[]> items = new ArrayList<>(); // {key or index, element}
        if (v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                items.add(new JsonNode[] {LongNode.valueOf(i), v.get(i)});
            }
        } else if (v.isObject()) {
            for (String key : GoValues.sortedKeys(v)) {
                items.add(new JsonNode[] {TextNode.valueOf(key), v.get(key)});
            }
        } else if (v.isIntegralNumber() && c.pipe().variables().size() < 2) {
            for (long i = 0; i < v.longValue(); i++) {
                items.add(new JsonNode[] {LongNode.valueOf(i), LongNode.valueOf(i)});
            }
        } else if (!v.isNull()) {
            throw error(c.pipe(), "range can't iterate over " + GoValues.format(v));
        }
        if (items.isEmpty()) {
            walk(dot, c.otherwise());
            return;
        }
        List<String> names = c.pipe().variables();
        for (JsonNode[] item : items) {
            int mark = vars.size();
            if (names.size() == 1) {
                declare(c.pipe(), names.get(0), item[1]);
            } else if (names.size() == 2) {
                declare(c.pipe(), names.get(0), item[0]);
                declare(c.pipe(), names.get(1), item[1]);
            }
            try {
                walk(item[1], c.body());
            } catch (Jump j) {
                if (j.isBreak) {
                    break;
                }
            } finally {
                vars.subList(mark, vars.size()).clear();
            }
        }
    }

    private JsonNode pipeline(JsonNode dot, Pipe p) {
        JsonNode v = commands(dot, p);
        for (String name : p.variables()) {
            declare(p, name, v);
        }
        return v;
    }

    private void declare(Pipe p, String name, JsonNode value) {
        if (!p.assign()) {
            vars.add(new Var(name, value));
            return;
        }
        for (int i = vars.size() - 1; i >= 0; i--) {
            if (vars.get(i).name().equals(name)) {
                vars.set(i, new Var(name, value));
                return;
            }
        }
        throw error(p, "undefined variable: " + name);
    }

    /** The commands of a pipeline, each one's value the last argument of the next. */
    private JsonNode commands(JsonNode dot, Pipe p) {
        JsonNode value = null;
        boolean piped = false;
        for (Command cmd : p.commands()) {
            value = command(dot, cmd, value, piped);
            piped = true;
        }
        return value;
    }

    private JsonNode command(JsonNode dot, Command cmd, JsonNode piped, boolean hasPiped) {
        Operand first = cmd.operands().get(0);
        if (first instanceof TemplateNode.Function f) {
            return call(dot, cmd, f.name(), cmd.operands().subList(1, cmd.operands().size()), piped, hasPiped);
        }
        if (cmd.operands().size() > 1 || hasPiped) {
            throw error(cmd, first instanceof TemplateNode.Field field
                    ? field.names().get(field.names().size() - 1) + " is not a method but has arguments"
                    : "can't give argument to non-function " + first);
        }
        if (first instanceof TemplateNode.Nil) {
            throw error(cmd, "nil is not a command");
        }
        return operand(dot, first);
    }

    private JsonNode operand(JsonNode dot, Operand op) {
        if (op instanceof TemplateNode.Field f) {
            return fields(dot, f.names(), f);
        }
        if (op instanceof TemplateNode.Variable v) {
            return fields(variable(v), v.names(), v);
        }
        if (op instanceof TemplateNode.Chain c) {
            return fields(pipeline(dot, c.pipe()), c.names(), c);
        }
        if (op instanceof TemplateNode.Literal l) {
            return l.value();
        }
        if (op instanceof TemplateNode.Function f) {
            // a function as an argument is called with none: {{print len}} fails as in Go
            return call(dot, f, f.name(), List.of(), null, false);
        }
        return op instanceof TemplateNode.Dot ? dot : NullNode.getInstance();
    }

    private JsonNode variable(TemplateNode.Variable v) {
        for (int i = vars.size() - 1; i >= 0; i--) {
            if (vars.get(i).name().equals(v.name())) {
                return vars.get(i).value();
            }
        }
        throw error(v, "undefined variable: " + v.name());
    }

    private JsonNode fields(JsonNode receiver, List<String> names, TemplateNode at) {
        JsonNode v = receiver;
        for (String name : names) {
            if (v != null && v.isObject()) {
                if (v.has(name)) {
                    v = v.get(name);
                } else if (missingKeyIsEmpty) {
                    v = TextNode.valueOf("");
                } else {
                    throw error(at, "map has no entry for key \"" + name + "\" (the keys here are: " + GoValues.keysOf(v) + ")");
                }
            } else if (v == null || v.isNull()) {
                throw error(at, "nil pointer evaluating interface {}." + name);
            } else {
                throw error(at, "can't evaluate field " + name + " in type " + GoValues.kind(v));
            }
        }
        return v;
    }

    private JsonNode call(JsonNode dot, TemplateNode at, String name, List<Operand> operands, JsonNode piped, boolean hasPiped) {
        TemplateFunctions.Function f = functions.get(name);
        int count = operands.size() + (hasPiped ? 1 : 0);
        if (count < f.min() || f.max() >= 0 && count > f.max()) {
            throw error(at, "wrong number of args for " + name + ": want " + (f.max() < 0 ? "at least " + f.min()
                    : f.min() == f.max() ? Integer.toString(f.min()) : f.min() + " to " + f.max()) + " got " + count);
        }
        List<JsonNode> args = new ArrayList<>();
        for (Operand op : operands) {
            JsonNode v = operand(dot, op);
            args.add(v);
            // and/or stop at the first argument that decides, as Go's do (so {{and .A .A.B}} is safe)
            if (name.equals("and") && !GoValues.truth(v) || name.equals("or") && GoValues.truth(v)) {
                return v;
            }
        }
        if (hasPiped) {
            args.add(piped);
        }
        try {
            return f.body().call(args);
        } catch (IllegalArgumentException e) {
            throw error(at, "error calling " + name + ": " + e.getMessage());
        }
    }

    private TemplateException error(TemplateNode at, String message) {
        return TemplateException.execute(src, at.pos(), at.toString(), message);
    }
}
