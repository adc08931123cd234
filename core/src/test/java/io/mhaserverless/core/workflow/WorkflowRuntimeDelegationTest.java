package io.mhaserverless.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mhaserverless.core.failover.FailoverContext;
import io.mhaserverless.core.port.Notifier;
import io.mhaserverless.core.port.StateStore;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A runtime that wraps another must pass on every method, the default ones too: a wrapper that
 * forgets {@code metrics()} (or {@code clock()}, {@code lockTtl()}) silently uses the interface's
 * default instead of the wrapped runtime's, and a failover's figures never reach CloudWatch.
 */
class WorkflowRuntimeDelegationTest {

    /** Every method of {@link WorkflowRuntime}, declared by {@code wrapper} itself. */
    static void assertDelegatesEveryMethod(Class<?> wrapper) {
        List<String> missing = new ArrayList<>();
        for (Method m : WorkflowRuntime.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            try {
                wrapper.getDeclaredMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                missing.add(m.getName());
            }
        }
        assertThat(missing).as(wrapper.getName() + " wraps a WorkflowRuntime but does not override").isEmpty();
    }

    /** The classes of core's main code that implement WorkflowRuntime and hold one: the delegating wrappers. */
    static List<Class<?>> wrappersIn(Path classes, String root) throws IOException, ClassNotFoundException {
        List<Class<?>> wrappers = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = root + classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, WorkflowRuntimeDelegationTest.class.getClassLoader());
                if (WorkflowRuntime.class.isAssignableFrom(c) && !c.isInterface()
                        && Arrays.stream(c.getDeclaredFields()).map(Field::getType).anyMatch(WorkflowRuntime.class::isAssignableFrom)) {
                    wrappers.add(c);
                }
            }
        }
        return wrappers;
    }

    @Test
    void everyWrapperInCoreDelegatesEveryMethod() throws Exception {
        Path main = Path.of(WorkflowRuntime.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> wrappers = wrappersIn(main, "");
        wrappers.forEach(WorkflowRuntimeDelegationTest::assertDelegatesEveryMethod);
    }

    @Test
    void aWrapperThatForgetsMetricsIsCaught() throws URISyntaxException, IOException, ClassNotFoundException {
        Path tests = Path.of(Forgetful.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(wrappersIn(tests, "")).contains(Forgetful.class, Complete.class);
        assertThatThrownBy(() -> assertDelegatesEveryMethod(Forgetful.class)).hasMessageContaining("metrics");
        assertDelegatesEveryMethod(Complete.class);
    }

    /** Passes on the three abstract methods only. */
    static final class Forgetful implements WorkflowRuntime {
        private final WorkflowRuntime inner;

        Forgetful(WorkflowRuntime inner) {
            this.inner = inner;
        }

        @Override
        public FailoverContext context(String cluster) {
            return inner.context(cluster);
        }

        @Override
        public StateStore stateStore() {
            return inner.stateStore();
        }

        @Override
        public Notifier notifier() {
            return inner.notifier();
        }
    }

    static final class Complete implements WorkflowRuntime {
        private final WorkflowRuntime inner;

        Complete(WorkflowRuntime inner) {
            this.inner = inner;
        }

        @Override
        public FailoverContext context(String cluster) {
            return inner.context(cluster);
        }

        @Override
        public StateStore stateStore() {
            return inner.stateStore();
        }

        @Override
        public Notifier notifier() {
            return inner.notifier();
        }

        @Override
        public java.time.Duration lockTtl() {
            return inner.lockTtl();
        }

        @Override
        public WorkflowRuntime within(Deadline deadline) {
            return new Complete(inner.within(deadline));
        }

        @Override
        public java.time.Clock clock() {
            return inner.clock();
        }

        @Override
        public io.mhaserverless.core.metrics.MetricsSink metrics() {
            return inner.metrics();
        }
    }
}
