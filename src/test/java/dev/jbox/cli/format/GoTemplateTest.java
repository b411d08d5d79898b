package dev.jbox.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The template engine against what Go's text/template (as Docker runs it: missingkey=error, and
 * Docker's functions) prints for the same template and data. The expected outputs were worked
 * out from Go's documented rules: fmt's %v for lists and maps, sorted map keys in range and
 * print, Sprint's spacing, and Go's error wording.
 */
class GoTemplateTest {
    private static final JsonNode DATA = json("""
            {"Id": "0123456789abcdef", "Name": "web",
             "State": {"Status": "running", "Running": true, "Pid": 4242, "ExitCode": 0},
             "Config": {"Env": ["PATH=/bin", "HOME=/root"], "Cmd": ["sh", "-c", "sleep 1"],
                        "Labels": {"k": "v", "com.example.x": "y"}, "Tty": false},
             "NetworkSettings": {"IPAddress": "10.77.0.2",
                                 "Networks": {"bridge": {"IPAddress": "10.77.0.2"}, "back": {"IPAddress": "10.1.0.3"}},
                                 "Ports": {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]}},
             "Nothing": null, "Empty": [], "Ratio": 1.5, "Big": 1000000.0}
            """);

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String run(String template) {
        return GoTemplate.parse(template).execute(DATA);
    }

    @Test
    void theFormsDockerUsersType() {
        assertThat(run("{{.State.Pid}}")).isEqualTo("4242");
        assertThat(run("{{.State.Status}}")).isEqualTo("running");
        assertThat(run("{{.NetworkSettings.IPAddress}}")).isEqualTo("10.77.0.2");
        assertThat(run("{{.Name}} {{.Id}}")).isEqualTo("web 0123456789abcdef");
        assertThat(run("{{json .Config}}")).isEqualTo(
                "{\"Env\":[\"PATH=/bin\",\"HOME=/root\"],\"Cmd\":[\"sh\",\"-c\",\"sleep 1\"],"
                        + "\"Labels\":{\"k\":\"v\",\"com.example.x\":\"y\"},\"Tty\":false}");
        assertThat(run("{{.Config.Env}}")).isEqualTo("[PATH=/bin HOME=/root]");
        assertThat(run("pid={{.State.Pid}}, status={{.State.Status}}\n")).isEqualTo("pid=4242, status=running\n");
        assertThat(run("{{range .Config.Env}}{{.}} {{end}}")).isEqualTo("PATH=/bin HOME=/root ");
        assertThat(run("{{index .Config.Labels \"k\"}}")).isEqualTo("v");
        assertThat(run("{{index .Config.Labels \"com.example.x\"}}")).isEqualTo("y");
        assertThat(run("{{ .State.Pid }}")).as("spaces inside the braces").isEqualTo("4242");
    }

    @Test
    void valuesPrintAsGoPrintsThem() {
        assertThat(run("{{.Config.Labels}}")).as("map keys sorted").isEqualTo("map[com.example.x:y k:v]");
        assertThat(run("{{.State}}")).isEqualTo("map[ExitCode:0 Pid:4242 Running:true Status:running]");
        assertThat(run("{{.Empty}}")).isEqualTo("[]");
        assertThat(run("{{.NetworkSettings.Ports}}")).isEqualTo("map[80/tcp:[map[HostIp:0.0.0.0 HostPort:8080]]]");
        assertThat(run("{{.Nothing}}")).isEqualTo("<no value>");
        assertThat(run("{{print .Nothing}}")).isEqualTo("<nil>");
        assertThat(run("{{index .Config.Labels \"absent\"}}")).as("a map of strings gives \"\", as Go's map[string]string").isEmpty();
        assertThat(run("{{index .NetworkSettings.Networks \"absent\"}}")).as("any other map gives nil").isEqualTo("<no value>");
        assertThat(run("{{.Ratio}} {{.Big}} {{-3}} {{1.5}} {{0x1F}} {{1_000}}")).isEqualTo("1.5 1e+06 -3 1.5 31 1000");
        assertThat(run("{{.State.Running}} {{.Config.Tty}}")).isEqualTo("true false");
        assertThat(run("{{json .}}")).startsWith("{\"Id\":\"0123456789abcdef\",\"Name\":\"web\",\"State\":{");
        assertThat(run("{{json .Nothing}} {{json .Config.Env}}")).isEqualTo("null [\"PATH=/bin\",\"HOME=/root\"]");
        assertThat(run("{{json \"<a&b>\"}}")).as("no HTML escaping, as Docker").isEqualTo("\"<a&b>\"");
    }

    @Test
    void controlStructures() {
        assertThat(run("{{if .State.Running}}up{{else}}down{{end}}")).isEqualTo("up");
        assertThat(run("{{if eq .State.Status \"exited\"}}x{{else if eq .State.Status \"running\"}}r{{else}}?{{end}}"))
                .isEqualTo("r");
        assertThat(run("{{if .Empty}}x{{else if .Nothing}}y{{else}}neither{{end}}")).isEqualTo("neither");
        assertThat(run("{{with .NetworkSettings}}{{.IPAddress}}{{end}}")).isEqualTo("10.77.0.2");
        assertThat(run("{{with .Empty}}x{{else}}none{{end}}")).isEqualTo("none");
        assertThat(run("{{with .Empty}}a{{else with .Name}}{{.}}{{end}}")).isEqualTo("web");
        assertThat(run("{{with $s := .State}}{{$s.Pid}}{{end}}")).isEqualTo("4242");
        assertThat(run("{{with .State}}{{$.Name}} has pid {{.Pid}}{{end}}")).isEqualTo("web has pid 4242");
        assertThat(run("{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}};{{end}}"))
                .as("maps range in key order").isEqualTo("back=10.1.0.3;bridge=10.77.0.2;");
        assertThat(run("{{range $i, $e := .Config.Cmd}}{{$i}}:{{$e}} {{end}}")).isEqualTo("0:sh 1:-c 2:sleep 1 ");
        assertThat(run("{{range $e := .Config.Cmd}}{{$e}}.{{end}}")).isEqualTo("sh.-c.sleep 1.");
        assertThat(run("{{range .Empty}}x{{else}}empty{{end}}")).isEqualTo("empty");
        assertThat(run("{{range .Nothing}}x{{else}}nil ranges like empty{{end}}")).isEqualTo("nil ranges like empty");
        assertThat(run("{{range 3}}{{.}}{{end}}")).isEqualTo("012");
        assertThat(run("{{range .Config.Cmd}}{{if eq . \"-c\"}}{{continue}}{{end}}{{.}};{{end}}")).isEqualTo("sh;sleep 1;");
        assertThat(run("{{range .Config.Cmd}}{{if eq . \"-c\"}}{{break}}{{end}}{{.}};{{end}}")).isEqualTo("sh;");
        assertThat(run("{{range .NetworkSettings.Networks}}{{println .IPAddress}}{{end}}")).isEqualTo("10.1.0.3\n10.77.0.2\n");
    }

    @Test
    void variablesAndPipelines() {
        assertThat(run("{{$pid := .State.Pid}}pid {{$pid}}")).isEqualTo("pid 4242");
        assertThat(run("{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}")).isEqualTo("2");
        assertThat(run("{{if true}}{{$x := 1}}{{end}}{{$x := 3}}{{$x}}")).isEqualTo("3");
        assertThat(run("{{.Config.Env | len}}")).isEqualTo("2");
        assertThat(run("{{.State.Pid | printf \"%d!\"}}")).isEqualTo("4242!");
        assertThat(run("{{\"x\" | printf \"%s-%s\" \"a\"}}")).isEqualTo("a-x");
        assertThat(run("{{(index .NetworkSettings.Ports \"80/tcp\" 0).HostPort}}")).isEqualTo("8080");
        assertThat(run("{{index .NetworkSettings.Ports \"80/tcp\" 0}}")).isEqualTo("map[HostIp:0.0.0.0 HostPort:8080]");
        assertThat(run("{{if and .State.Running (eq .State.Pid 4242)}}ok{{end}}")).isEqualTo("ok");
    }

    @Test
    void functions() {
        assertThat(run("{{len .Config.Env}} {{len .Name}} {{len \"é\"}} {{len .Config.Labels}}")).isEqualTo("2 3 2 2");
        assertThat(run("{{join .Config.Cmd \" \"}}")).isEqualTo("sh -c sleep 1");
        assertThat(run("{{split \"a,b,,c\" \",\"}}")).isEqualTo("[a b  c]");
        assertThat(run("{{upper .Name}} {{lower \"ABC\"}} {{title \"hello big_world x-y\"}}")).isEqualTo("WEB abc Hello Big_world X-Y");
        assertThat(run("[{{pad .Name 1 2}}][{{pad \"\" 1 2}}] {{truncate .Id 4}} {{truncate \"ab\" 5}}"))
                .isEqualTo("[ web  ][] 0123 ab");
        assertThat(run("{{and .State.Running .Name}} {{or .Empty \"fallback\"}} {{not .State.Running}}"))
                .isEqualTo("web fallback false");
        assertThat(run("{{and .Nothing .Nothing.X}}")).as("and stops at the first false").isEqualTo("<no value>");
        assertThat(run("{{eq .State.Pid 1 4242}} {{ne .Name \"web\"}} {{lt 1 2}} {{le 2 2}} {{gt 1.5 2}} {{ge \"b\" \"a\"}}"))
                .isEqualTo("true false true true false true");
        assertThat(run("{{index .Config.Cmd 1}} {{index .Config.Labels \"k\"}} {{index .Name 0}}")).isEqualTo("-c v 119");
        assertThat(run("{{eq .Nothing nil}} {{eq .Nothing 1}} {{ne .Name nil}} {{eq true true}}")).as("nil equals only nil")
                .isEqualTo("true false true true");
    }

    @Test
    void printFunctions() {
        assertThat(run("{{printf \"%s has pid %d\" .Name .State.Pid}}")).isEqualTo("web has pid 4242");
        assertThat(run("{{printf \"%-5s|%5s|%05d|%+d|%x|%X|%t|%.2f|%v\" .Name .Name 42 7 255 \"hi\" true .Ratio .Config.Env}}"))
                .isEqualTo("web  |  web|00042|+7|ff|6869|true|1.50|[PATH=/bin HOME=/root]");
        assertThat(run("{{printf \"%q\" .Name}} {{printf \"%.2s\" .Name}} {{printf \"100%%\"}}")).isEqualTo("\"web\" we 100%");
        assertThat(run("{{printf \"%d\" .Name}}")).isEqualTo("%!d(string=web)");
        assertThat(run("{{printf \"%s %s\" \"a\"}}")).isEqualTo("a %!s(MISSING)");
        assertThat(run("{{printf \"%s\" \"a\" \"b\" 3}}")).isEqualTo("a%!(EXTRA string=b, int=3)");
        assertThat(run("{{printf `%s-%s` \"a\" \"b\"}}")).isEqualTo("a-b");
        assertThat(run("{{print \"a\" 1 2 \"b\"}}")).as("Sprint puts spaces only between non-strings").isEqualTo("a1 2b");
        assertThat(run("{{println \"a\" 1}}")).isEqualTo("a 1\n");
        assertThat(run("{{\"a\\tb\\u00e9\\x41\"}}")).isEqualTo("a\tbéA");
    }

    @Test
    void trimMarkersAndComments() {
        assertThat(run("a  {{- .Name -}}  b")).isEqualTo("awebb");
        assertThat(run("a\n  {{- .Name}}\n")).isEqualTo("aweb\n");
        assertThat(run("x {{/* a comment */}} y")).isEqualTo("x  y");
        assertThat(run("x {{- /* a comment */ -}} y")).isEqualTo("xy");
        assertThat(run("{{range .Config.Env -}}\n  {{.}}\n{{- end}}")).isEqualTo("PATH=/binHOME=/root");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '~', value = {
        "{{.Missing}} => template: :1:2: executing \"\" at <.Missing>: map has no entry for key \"Missing\" (the keys here are: Id, Name, State, ",
        "{{.State.Foo}} => template: :1:8: executing \"\" at <.State.Foo>: map has no entry for key \"Foo\" (the keys here are: Status, Running, Pid, ExitCode)",
        "{{.Name.First}} => can't evaluate field First in type string",
        "{{.Nothing.X}} => nil pointer evaluating interface {}.X",
        "{{.Name 1}} => Name is not a method but has arguments",
        "{{1 | .Name}} => Name is not a method but has arguments",
        "{{$ 1}} => can't give argument to non-function $",
        "{{nil}} => nil is not a command",
        "{{lower .State.Pid}} => error calling lower: wrong type for value; expected string; got number",
        "{{len .State.Pid}} => error calling len: len of type number",
        "{{lower}} => wrong number of args for lower: want 1 got 0",
        "{{print len}} => wrong number of args for len: want 1 got 0",
        "{{eq .Name 1}} => error calling eq: incompatible types for comparison",
        "{{eq .Config .Config}} => error calling eq: non-comparable type object",
        "{{lt .Nothing 1}} => error calling lt: invalid type for comparison",
        "{{lt .Config.Env 1}} => error calling lt: invalid type for comparison",
        "{{lt true false}} => error calling lt: invalid type for comparison",
        "{{index .Config.Cmd 5}} => error calling index: index out of range: 5",
        "{{index .Nothing 0}} => error calling index: index of untyped nil",
        "{{index .State.Pid 0}} => error calling index: can't index item of type number",
        "{{index .Name 3}} => error calling index: index out of range: 3",
        "{{index .Config.Cmd \"a\"}} => error calling index: cannot index slice/array with type string",
        "{{range .Name}}{{end}} => template: :1:8: executing \"\" at <.Name>: range can't iterate over web",
        "{{printf \"%e\" 1.5}} => error calling printf: jbox's printf does not support %e; it supports %v %s %d",
        "{{join .Name \",\"}} => error calling join: wrong type for value; expected []string; got string",
        "{{truncate .Name \"2\"}} => error calling truncate: wrong type for value; expected int; got string",
    })
    void executionErrorsSayWhatGoSays(String template, String message) {
        assertThatThrownBy(() -> run(template)).isInstanceOf(TemplateException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((TemplateException) e).exitCode()).isEqualTo(TemplateException.EXECUTE))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").startsWith("template: :1:"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '~', value = {
        "{{.State.Pid => template parsing error: template: :1: unclosed action",
        "{{foo .X}} => template: :1: function \"foo\" not defined; jbox knows and, eq, ge, gt, index, join, json, le, len, lower",
        "{{html .Name}} => jbox does not support the function \"html\"; jbox knows ",
        "{{template \"x\"}} => jbox does not support {{template}}; it supports {{if}}, {{range}}, {{with}}",
        "{{define \"x\"}}{{end}} => jbox does not support {{define}}",
        "{{if .Name}} => unexpected EOF",
        "{{end}} => unexpected {{end}}",
        "{{else}} => unexpected {{else}}",
        "{{range .X}}{{else}}{{else}}{{end}} => expected end; found {{else}}",
        "{{$x}} => undefined variable \"$x\"",
        "{{$x = 1}} => undefined variable \"$x\"",
        "{{if true}}{{$x := 1}}{{end}}{{$x}} => undefined variable \"$x\"",
        "{{.Name | \"x\"}} => non executable command in pipeline stage 2",
        "{{}} => missing value for command",
        "{{if}}{{end}} => missing value for if",
        "{{break}} => {{break}} outside {{range}}",
        "{{\"abc}} => unterminated quoted string",
        "{{`abc}} => unterminated raw quoted string",
        "{{.Name!}} => bad character U+0021 '!'",
        "{{'a'}} => jbox does not support character constants",
        "{{1x}} => bad number syntax: \"1x\"",
        "{{\"\\q\"}} => unknown escape \\q",
        "{{/* never closed => unclosed comment",
        "{{/* c */ .Name}} => comment ends before closing delimiter",
        "{{.Name) }} => unexpected \")\" in command",
        "{{(.Name}} => unexpected \"}}\" in parenthesized pipeline",
        "{{\"a\".Name}} => unexpected . after term",
        "{{.Name .Id(}} => unexpected \"(\" in operand",
        "{{range $a, $b, $c := .X}}{{end}} => range can only initialize variables",
    })
    void parseErrorsComeBeforeAnythingRuns(String template, String message) {
        assertThatThrownBy(() -> GoTemplate.parse(template)).isInstanceOf(TemplateException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((TemplateException) e).exitCode()).isEqualTo(TemplateException.PARSE))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").startsWith("template parsing error: template: :1: "));
    }

    @Test
    void errorsNameTheLineAndColumn() {
        assertThatThrownBy(() -> run("line one\n  {{.Missing}}")).hasMessageStartingWith("template: :2:4: executing \"\" at <.Missing>");
        assertThatThrownBy(() -> GoTemplate.parse("a\nb\n{{foo}}")).hasMessageStartingWith("template parsing error: template: :3: function");
        assertThatThrownBy(() -> run("{{.Container.Spec.Image}}")).as("Go's column for a chain, as in Docker's own report")
                .hasMessageStartingWith("template: :1:12: executing \"\" at <.Container.Spec.Image>: map has no entry for key \"Container\"");
    }

    @Test
    void goNumbersAndStrings() {
        assertThat(GoValues.formatFloat(1e6)).isEqualTo("1e+06");
        assertThat(GoValues.formatFloat(123456.0)).isEqualTo("123456");
        assertThat(GoValues.formatFloat(1234567.0)).isEqualTo("1.234567e+06");
        assertThat(GoValues.formatFloat(0.0001)).isEqualTo("0.0001");
        assertThat(GoValues.formatFloat(0.00001)).isEqualTo("1e-05");
        assertThat(GoValues.formatFloat(-2.0)).isEqualTo("-2");
        assertThat(GoValues.formatFloat(1e21)).isEqualTo("1e+21");
        assertThat(GoValues.formatFloat(-1.5e-7)).isEqualTo("-1.5e-07");
        assertThat(GoValues.quote("a\"b\\c\n\té\u0001")).isEqualTo("\"a\\\"b\\\\c\\n\\té\\x01\"");
        assertThat(GoValues.parseNumber("010").asLong()).as("a leading 0 is octal in Go").isEqualTo(8);
        assertThat(GoValues.parseNumber("1i")).as("complex numbers are not supported").isNull();
    }
}
