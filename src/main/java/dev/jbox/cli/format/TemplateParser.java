package dev.jbox.cli.format;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.jbox.cli.format.TemplateLexer.Token;
import dev.jbox.cli.format.TemplateLexer.Type;
import dev.jbox.cli.format.TemplateNode.Command;
import dev.jbox.cli.format.TemplateNode.Control;
import dev.jbox.cli.format.TemplateNode.Operand;
import dev.jbox.cli.format.TemplateNode.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds the tree of a template from its tokens, following Go's grammar: actions, if/else if/else,
 * range (with {@code $i, $e :=} and else), with, break and continue, variables, pipelines and
 * parenthesised pipelines. Unknown functions and undefined variables are found here, before
 * anything runs, as Go finds them.
 */
final class TemplateParser {
    /** Go's own features that jbox leaves out, so that their error says so rather than "unexpected". */
    private static final Set<String> GO_ONLY_FUNCTIONS = Set.of("html", "js", "urlquery", "call", "slice");

    private final String src;
    private final List<Token> tokens;
    private final Set<String> functions;
    private final List<String> variables = new ArrayList<>(List.of("$"));
    private int next;
    private int rangeDepth;

    private TemplateParser(String src, Set<String> functions) {
        this.src = src;
        this.tokens = TemplateLexer.lex(src);
        this.functions = functions;
    }

    static List<TemplateNode> parse(String src, Set<String> functions) {
        TemplateParser p = new TemplateParser(src, functions);
        List<TemplateNode> nodes = new ArrayList<>();
        Token end = p.list(nodes);
        if (end.type() != Type.EOF) {
            throw p.error(end, "unexpected {{" + end.text() + "}}");
        }
        return nodes;
    }

    /** Parses nodes into {@code into} up to {{end}}, {{else}} or the end of the text, and returns which it was. */
    private Token list(List<TemplateNode> into) {
        while (true) {
            Token t = take();
            switch (t.type()) {
                case EOF -> {
                    return t;
                }
                case TEXT -> into.add(new TemplateNode.Text(t.pos(), t.value()));
                case LEFT -> {
                    Token keyword = peek();
                    switch (keyword.type()) {
                        case END -> {
                            take();
                            expect(Type.RIGHT, "end");
                            return keyword;
                        }
                        case ELSE -> {
                            take();
                            return keyword;
                        }
                        default -> into.add(action());
                    }
                }
                default -> throw error(t, "unexpected " + t);
            }
        }
    }

    private TemplateNode action() {
        Token t = peek();
        switch (t.type()) {
            case IF -> {
                take();
                return control(t, Control.Kind.IF);
            }
            case RANGE -> {
                take();
                return control(t, Control.Kind.RANGE);
            }
            case WITH -> {
                take();
                return control(t, Control.Kind.WITH);
            }
            case BREAK, CONTINUE -> {
                take();
                if (rangeDepth == 0) {
                    throw error(t, "{{" + t.text() + "}} outside {{range}}");
                }
                expect(Type.RIGHT, t.text());
                return t.type() == Type.BREAK ? new TemplateNode.Break(t.pos()) : new TemplateNode.Continue(t.pos());
            }
            case DEFINE, TEMPLATE, BLOCK -> throw error(t, "jbox does not support {{" + t.text()
                    + "}}; it supports {{if}}, {{range}}, {{with}}, {{else}}, {{end}}, variables and the functions "
                    + String.join(", ", functions));
            default -> {
                return new TemplateNode.Action(t.pos(), pipeline("command", Type.RIGHT));
            }
        }
    }

    private Control control(Token keyword, Control.Kind kind) {
        int mark = variables.size();
        Pipe pipe = pipeline(kind.name().toLowerCase(), Type.RIGHT);
        List<TemplateNode> body = new ArrayList<>();
        if (kind == Control.Kind.RANGE) {
            rangeDepth++;
        }
        Token end = list(body);
        if (kind == Control.Kind.RANGE) {
            rangeDepth--;
        }
        List<TemplateNode> otherwise = new ArrayList<>();
        if (end.type() == Type.ELSE) {
            Token chained = peek();
            // {{else if x}} and {{else with x}} are an {{if}} or {{with}} inside the else, sharing its {{end}}
            if (kind == Control.Kind.IF && chained.type() == Type.IF
                    || kind == Control.Kind.WITH && chained.type() == Type.WITH) {
                take();
                otherwise.add(control(chained, kind));
            } else {
                expect(Type.RIGHT, "else");
                Token last = list(otherwise);
                if (last.type() != Type.END) {
                    throw error(last, "expected end; found " + (last.type() == Type.EOF ? "EOF" : "{{else}}"));
                }
            }
        } else if (end.type() != Type.END) {
            throw error(end, "unexpected EOF");
        }
        variables.subList(mark, variables.size()).clear();
        return new Control(keyword.pos(), kind, pipe, body, otherwise);
    }

    /** [$x :=] command [| command]..., up to {@code end} ("}}" or ")"). */
    private Pipe pipeline(String context, Type end) {
        Token first = peek();
        List<String> declared = new ArrayList<>();
        boolean assign = false;
        if (first.type() == Type.VARIABLE && (peek(1).type() == Type.DECLARE || peek(1).type() == Type.ASSIGN
                || peek(1).type() == Type.COMMA && context.equals("range"))) {
            take();
            declared.add(first.text());
            if (peek().type() == Type.COMMA) {
                take();
                Token second = take();
                if (second.type() != Type.VARIABLE || peek().type() != Type.DECLARE) {
                    throw error(second, "range can only initialize variables");
                }
                declared.add(second.text());
            }
            assign = take().type() == Type.ASSIGN;
            if (assign && !variables.contains(first.text())) {
                throw error(first, "undefined variable \"" + first.text() + "\"");
            }
        }
        List<Command> commands = new ArrayList<>();
        while (true) {
            Token t = peek();
            if (t.type() == end) {
                take();
                break;
            }
            if (!startsOperand(t)) {
                throw error(t, "unexpected " + t + " in " + context);
            }
            commands.add(command());
        }
        if (commands.isEmpty()) {
            throw error(first, "missing value for " + context);
        }
        for (int i = 1; i < commands.size(); i++) {
            Operand head = commands.get(i).operands().get(0);
            if (head instanceof TemplateNode.Literal || head instanceof TemplateNode.Dot || head instanceof TemplateNode.Nil) {
                throw error(first, "non executable command in pipeline stage " + (i + 1));
            }
        }
        // declared after the pipeline, so {{$x := $x}} reads the $x from before
        for (String v : declared) {
            if (!assign) {
                variables.add(v);
            }
        }
        return new Pipe(first.pos(), declared, assign, commands);
    }

    private Command command() {
        int pos = peek().pos();
        List<Operand> operands = new ArrayList<>();
        while (true) {
            operands.add(operand());
            Token t = peek();
            if (t.type() == Type.PIPE) {
                take();
                return new Command(pos, operands);
            }
            if (t.type() == Type.RIGHT || t.type() == Type.RIGHT_PAREN) {
                return new Command(pos, operands);
            }
            if (!startsOperand(t) || !t.spaceBefore()) {
                throw error(t, "unexpected " + t + " in operand");
            }
        }
    }

    /** A term, and the fields that follow it with no space between: .A.B, $x.A, (pipeline).A */
    private Operand operand() {
        Operand term = term();
        List<String> names = new ArrayList<>();
        int chainPos = -1;
        while (peek().type() == Type.FIELD && !peek().spaceBefore()) {
            Token f = take();
            chainPos = chainPos < 0 ? f.pos() : chainPos;
            names.add(f.text().substring(1));
        }
        if (names.isEmpty()) {
            return term;
        }
        // Go reports a chained field at its second part: {{.Container.Spec}} fails "at :1:12"
        if (term instanceof TemplateNode.Field f) {
            return new TemplateNode.Field(chainPos, concat(f.names(), names));
        }
        if (term instanceof TemplateNode.Variable v) {
            return new TemplateNode.Variable(v.pos(), v.name(), concat(v.names(), names));
        }
        if (term instanceof TemplateNode.Chain c) {
            return new TemplateNode.Chain(c.pos(), c.pipe(), concat(c.names(), names));
        }
        throw TemplateException.parse(src, term.pos(), "unexpected . after term \"" + term + "\"");
    }

    private Operand term() {
        Token t = take();
        return switch (t.type()) {
            case IDENTIFIER -> {
                if (!functions.contains(t.text())) {
                    throw error(t, (GO_ONLY_FUNCTIONS.contains(t.text()) ? "jbox does not support the function \""
                            : "function \"") + t.text() + "\"" + (GO_ONLY_FUNCTIONS.contains(t.text()) ? "" : " not defined")
                            + "; jbox knows " + String.join(", ", functions));
                }
                yield new TemplateNode.Function(t.pos(), t.text());
            }
            case DOT -> new TemplateNode.Dot(t.pos());
            case NIL -> new TemplateNode.Nil(t.pos());
            case VARIABLE -> {
                if (!variables.contains(t.text())) {
                    throw error(t, "undefined variable \"" + t.text() + "\"");
                }
                yield new TemplateNode.Variable(t.pos(), t.text(), List.of());
            }
            case FIELD -> new TemplateNode.Field(t.pos(), List.of(t.text().substring(1)));
            case BOOL -> new TemplateNode.Literal(t.pos(), t.text(), BooleanNode.valueOf(t.text().equals("true")));
            case NUMBER -> new TemplateNode.Literal(t.pos(), t.text(), GoValues.parseNumber(t.text()));
            case STRING -> new TemplateNode.Literal(t.pos(), t.text(), TextNode.valueOf(t.value()));
            case LEFT_PAREN -> new TemplateNode.Chain(t.pos(), pipeline("parenthesized pipeline", Type.RIGHT_PAREN), List.of());
            default -> throw error(t, "unexpected " + t + " in operand");
        };
    }

    private static boolean startsOperand(Token t) {
        return switch (t.type()) {
            case IDENTIFIER, DOT, NIL, VARIABLE, FIELD, BOOL, NUMBER, STRING, LEFT_PAREN -> true;
            default -> false;
        };
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private void expect(Type type, String context) {
        Token t = take();
        if (t.type() != type) {
            throw error(t, "unexpected " + t + " in " + context);
        }
    }

    private Token peek() {
        return peek(0);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(next + ahead, tokens.size() - 1));
    }

    private Token take() {
        Token t = tokens.get(next);
        if (next < tokens.size() - 1) {
            next++;
        }
        return t;
    }

    private TemplateException error(Token at, String message) {
        return TemplateException.parse(src, at.pos(), message);
    }
}
