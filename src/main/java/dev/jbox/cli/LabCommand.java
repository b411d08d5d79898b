package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.lab.ChapterLab;
import dev.jbox.lab.Grader;
import dev.jbox.lab.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Stack;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "lab", description = "The course's graded labs.", mixinStandardHelpOptions = true,
        subcommands = LabCommand.Check.class)
final class LabCommand {

    @Command(name = "check", mixinStandardHelpOptions = true, preprocessor = OptionsAnywhere.class, description = {
            "Grade chapter N's exercises: build the engine with each of your files and run the chapter's checks on it;",
            "one PASS/FAIL line each, a reason under each FAIL, then the score.",
            "Grades lab/NN (the student's work) unless told otherwise. Exit status 0 only if every exercise passes."})
    static final class Check implements Callable<Integer> {
        @Parameters(paramLabel = "N", description = "The chapter.")
        int chapter;

        @Option(names = "--solutions", description = "Grade the chapter's reference solutions (chapters/NN-name/solutions).")
        boolean solutions;

        @Option(names = "--lab", paramLabel = "DIR", description = "Grade DIR instead of lab/NN.")
        Path lab;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
                description = "Give up on an exercise's checks after this long (default: ${DEFAULT-VALUE}).")
        long timeout;

        @Override
        public Integer call() {
            Main.requireRoot();
            if (solutions && lab != null) {
                throw new JboxException("--solutions and --lab both name what to grade; give one of them");
            }
            Path repository = ChapterLab.locateRepository();
            ChapterLab chapterLab = ChapterLab.find(repository, chapter);
            Path work = solutions ? chapterLab.solutions() : lab != null ? lab.toAbsolutePath() : chapterLab.studentDir();
            if (!Files.isDirectory(work)) {
                throw new JboxException(work + " is not a directory; " + (lab != null ? "give the directory that holds your work"
                        : "it holds the lab's starting points: restore it with git checkout -- " + repository.relativize(work)));
            }
            System.out.println("grading " + (work.startsWith(repository) ? repository.relativize(work) : work)
                    + " against chapter " + chapter + "'s engine");
            List<Verdict> verdicts = new Grader(timeout).grade(chapterLab, work, v -> {
                System.out.println(v.line());
                v.details().forEach(System.out::println);
                System.out.flush();
            });
            System.out.println(Verdict.summary(verdicts));
            return verdicts.stream().allMatch(Verdict::passed) ? 0 : 1;
        }
    }

    /**
     * jbox stops reading options at the first positional argument (so {@code jbox run IMAGE CMD -x}
     * passes {@code -x} to CMD); {@code lab check} runs no command, so it takes options anywhere:
     * {@code jbox lab check 1 --solutions}.
     */
    static final class OptionsAnywhere implements CommandLine.IParameterPreprocessor {
        @Override
        public boolean preprocess(Stack<String> args, CommandSpec command, ArgSpec arg, Map<String, Object> info) {
            command.parser().stopAtPositional(false);
            return false;
        }
    }
}
