package dev.jbox.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A Go text/template, as {@code docker inspect -f} and {@code docker ps --format} take one, run
 * on the JSON that jbox prints for the same command. So {@code {{.State.Pid}}},
 * {@code {{json .Config}}}, {@code {{range .Config.Env}}{{.}} {{end}}} and
 * {@code {{index .Config.Labels "k"}}} work as they do with Docker; anything jbox does not
 * implement is refused when the template is parsed, with one line that says what it does implement.
 *
 * <p>Why not a library: the Java ports of Go templates on Maven Central are either marked
 * experimental by their author or months old with one maintainer, and bring features (HTML
 * escaping, Sprig) and dependencies that a CLI's {@code --format} does not need. This one is
 * small, runs on Jackson's tree that jbox already has, and is tested case by case against Go's
 * behaviour.
 */
public final class GoTemplate {
    private final String source;
    private final List<TemplateNode> tree;

    private GoTemplate(String source, List<TemplateNode> tree) {
        this.source = source;
        this.tree = tree;
    }

    /** Parses {@code source}; a template that Go would refuse, or that jbox cannot run, fails here. */
    public static GoTemplate parse(String source) {
        return new GoTemplate(source, TemplateParser.parse(source, TemplateFunctions.names()));
    }

    /** The text the template makes from {@code data}; a missing key or a bad argument throws {@link TemplateException}. */
    public String execute(JsonNode data) {
        return TemplateExecutor.run(source, tree, data, TemplateFunctions.STANDARD, false);
    }

    /**
     * The header row of a table: the template run over the column names, with missing keys empty
     * and the functions that change text (json, lower, ...) leaving the names alone, as Docker does.
     */
    String executeHeader(JsonNode columnNames) {
        return TemplateExecutor.run(source, tree, columnNames, TemplateFunctions.HEADER, true);
    }
}
