package dev.jbox.cli;

import dev.jbox.runtime.ContainerProcess;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * While {@code jbox run} waits, signals sent to it go to the container, as with Docker's
 * {@code --sig-proxy}: {@code kill} of the engine stops the container, not just the engine.
 * On a shared terminal, Ctrl-C already reaches the container from the terminal itself,
 * so the engine only has to survive it.
 */
final class SignalForwarder implements AutoCloseable {
    private static final List<String> FORWARDED = List.of("INT", "TERM", "HUP");

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private SignalForwarder() {
    }

    static SignalForwarder to(ContainerProcess container, boolean sharesTerminal) {
        SignalForwarder f = new SignalForwarder();
        for (String name : FORWARDED) {
            Signal signal = new Signal(name);
            SignalHandler handler = sharesTerminal && name.equals("INT")
                    ? s -> { }
                    : s -> container.signal(s.getNumber());
            f.signals.add(signal);
            f.previous.add(Signal.handle(signal, handler));
        }
        return f;
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
