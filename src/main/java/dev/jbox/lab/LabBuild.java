package dev.jbox.lab;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;

/**
 * Builds the engine with the student's file: compiles that one file against the engine's own
 * classes into a directory that goes first on the class path, so the student's class replaces
 * the engine's and every other class is the engine's, unchanged. One file compiles in about a
 * second; the whole engine ({@code mvn package}) takes half a minute.
 */
final class LabBuild {
    private LabBuild() {
    }

    /** Nothing if {@code file} compiled into {@code classes} as the exercise's class; else one line saying why not. */
    static List<String> compile(Exercise exercise, Path file, Path classes) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            return List.of("this Java has no compiler (a JRE?); run jbox with a JDK 17");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (var files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            boolean ok = javac.getTask(null, files, diagnostics,
                    List.of("--release", "17", "-proc:none", "-implicit:none", "-Xlint:none", "-d", classes.toString(),
                            "-cp", System.getProperty("java.class.path")),
                    null, files.getJavaFileObjects(file.toFile())).call();
            if (!ok) {
                return List.of(file.getFileName() + " does not compile: " + firstError(diagnostics));
            }
        }
        Path expected = classes.resolve(exercise.className().replace('.', File.separatorChar) + ".class");
        try (Stream<Path> made = Files.walk(classes)) {
            String prefix = expected.toString().substring(0, expected.toString().length() - ".class".length());
            List<Path> others = made.filter(Files::isRegularFile)
                    .filter(p -> !p.equals(expected) && !p.toString().startsWith(prefix + "$")).toList();
            if (!Files.isRegularFile(expected) || !others.isEmpty()) {
                return List.of(file.getFileName() + " must declare the class " + exercise.className()
                        + " (with its package line) and no other top-level class");
            }
        }
        return List.of();
    }

    private static String firstError(DiagnosticCollector<JavaFileObject> diagnostics) {
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> "line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT).lines().findFirst().orElse(""))
                .findFirst().orElse("(no error message)");
    }
}
